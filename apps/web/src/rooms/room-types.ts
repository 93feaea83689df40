/** The shapes of the ephemeral-rooms API (PRODUCT.md §5, the zwip seed): ids are integers, times ISO UTC. */

export interface RoomInfo {
  id: number;
  code: string;
  name: string | null;
  created_at: string;
  last_active: string;
}

export interface RoomMessage {
  id: number;
  room_code: string;
  sender: string;
  content: string;
  /** `/rooms/<code>/files/<name>` on this server, or null for a text message. */
  file_path: string | null;
  file_type: string | null;
  created_at: string;
}

export interface CreatedRoom {
  code: string;
  admin_token: string;
}

/** Every error of the API and of a socket acknowledgement. */
export interface ApiErrorBody {
  error: string;
  code: string;
}

/** What a command answers: `{status, command, …}` with the command's own fields. */
export interface CommandResult {
  status: string;
  command: string;
  [field: string]: unknown;
}

export interface CommandInfo {
  name: string;
  usage: string;
  description?: string;
  admin: boolean;
}

export const isApiError = (value: unknown): value is ApiErrorBody =>
  typeof value === 'object' && value !== null && typeof (value as ApiErrorBody).error === 'string';
