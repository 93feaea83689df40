import { ApiErrorBody, CreatedRoom, isApiError, RoomInfo, RoomMessage } from './room-types';

/** The room does not exist, expired or was destroyed (404 on reads, 410 on hooks). */
export class RoomGoneError extends Error {
  constructor() {
    super('This room is gone');
  }
}

/** An answer of the API that is not a success, with its stable code. */
export class RoomApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

const roomPath = (code: string) => `/rooms/${encodeURIComponent(code)}`;

async function failure(res: Response): Promise<Error> {
  if (res.status === 404 || res.status === 410) return new RoomGoneError();
  const body: unknown = await res.json().catch(() => undefined);
  const { error, code }: ApiErrorBody = isApiError(body) ? body : { error: res.statusText, code: 'HTTP_ERROR' };
  if (res.status === 429) {
    const wait = res.headers.get('Retry-After');
    return new RoomApiError(`Too many requests${wait ? `; try again in ${wait} s` : ''}`, 429, code);
  }
  if (res.status === 413) return new RoomApiError('That is too large for this room', 413, code);
  return new RoomApiError(error || `The server answered ${res.status}`, res.status, code);
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { ...init, headers: { Accept: 'application/json', ...init?.headers } });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export const fetchRoom = (code: string): Promise<RoomInfo> => call(roomPath(code));

export const fetchMessages = (code: string): Promise<RoomMessage[]> => call(`${roomPath(code)}/messages`);

/** `POST /rooms`: the admin token is shown this once. */
export const createRoom = (name: string): Promise<CreatedRoom> =>
  call('/rooms', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(name === '' ? {} : { name }),
  });

/** `POST /rooms/:code/files` (multipart): the server judges the type from the bytes. */
export function uploadFile(code: string, file: File, sender: string): Promise<RoomMessage> {
  const form = new FormData();
  form.append('sender', sender);
  form.append('file', file, file.name);
  return call(`${roomPath(code)}/files`, { method: 'POST', body: form });
}
