import {
  BadRequestError,
  DomainError,
  MAX_MESSAGE_CONTENT_LENGTH,
  PayloadTooLargeError,
  UnprocessableEntityError,
} from '@parley/common';

export const MAX_ROOM_NAME_LENGTH = 50;
export const MAX_SENDER_LENGTH = 100;
export const DEFAULT_SENDER = 'anonymous';
export const DEFAULT_HOOK_SENDER = 'webhook';

// Names are one line of display text: no control characters (C0, DEL, C1). NUL is among them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Half of a surrogate pair: not Unicode text (it would be stored as U+FFFD and read back changed).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const codePoints = (s: string) => [...s].length;

/**
 * How a rule violation is answered. The room routes answer 400 `VALIDATION_FAILED` like the rest
 * of the API; a hook post answers 422, the one status its seed lists for a body it cannot use.
 */
export type Refusal = (message: string) => DomainError;
export const badRequest: Refusal = (message) => new BadRequestError(message, 'VALIDATION_FAILED');
export const unprocessable: Refusal = (message) => new UnprocessableEntityError(message, 'INVALID_CONTENT');

/**
 * Message content: a non-empty string (after trim), no NUL (PostgreSQL text and most clients
 * choke on it), at most 16,000 characters — 413 above, as for team messages.
 */
export function readContent(value: unknown, refuse: Refusal): string {
  if (value === undefined || value === null) throw refuse('content is required');
  if (typeof value !== 'string') throw refuse('content must be a string');
  if (value.trim().length === 0) throw refuse('content must not be empty');
  if (value.includes('\u0000')) throw refuse('content must not contain NUL characters');
  if (LONE_SURROGATE.test(value)) throw refuse('content must be valid Unicode text');
  if (value.length > MAX_MESSAGE_CONTENT_LENGTH) {
    throw new PayloadTooLargeError(
      `content is longer than ${MAX_MESSAGE_CONTENT_LENGTH} characters`,
      'CONTENT_TOO_LONG',
    );
  }
  return value;
}

/** A display name (sender, webhook label): trimmed, one line, at most `max` characters; blank → undefined. */
export function readDisplayName(
  value: unknown,
  field: string,
  refuse: Refusal,
  max = MAX_SENDER_LENGTH,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw refuse(`${field} must be a string`);
  const name = value.trim();
  if (name === '') return undefined;
  if (CONTROL.test(name)) throw refuse(`${field} must be one line without control characters`);
  if (LONE_SURROGATE.test(name)) throw refuse(`${field} must be valid Unicode text`);
  if (codePoints(name) > max) throw refuse(`${field} must be at most ${max} characters`);
  return name;
}

/** A room's new name: required, at most 50 characters (the seed's limit). */
export function readRoomName(value: unknown): string {
  const name = readDisplayName(value, 'name', badRequest, MAX_ROOM_NAME_LENGTH);
  if (name === undefined) throw badRequest('name must not be empty');
  return name;
}
