import { IsOptional, IsString, MaxLength } from 'class-validator';

// Lengths of names and contents are checked by room-input.ts (trimmed, in characters; 413 for content).

export class CreateRoomDto {
  /** Beyond the seed (which takes no body): a name to start with, as `rename` would set it. */
  @IsOptional()
  @IsString()
  name?: string;
}

/** `name` up to 50 characters; sent as a form field (`-d "name=…"`) or as JSON. */
export class RenameRoomDto {
  @IsString()
  name!: string;
}

export class RoomCommandDto {
  /** e.g. `/destroy` or `destroy`, with the command's arguments after a space. */
  @IsString()
  @MaxLength(20000)
  command!: string;

  /** Who `/me` and `/code` post as over HTTP (default `someone`); the socket uses its handshake name. */
  @IsOptional()
  @IsString()
  sender?: string;
}

export class PostRoomMessageDto {
  @IsString()
  content!: string;

  @IsOptional()
  @IsString()
  sender?: string;
}

export class CreateRoomWebhookDto {
  /** The integration's name; the default sender of its posts. */
  @IsOptional()
  @IsString()
  label?: string;
}

// Answers keep the seed's shapes: integer ids, snake_case, UTC times to the second without a zone.

export interface CreatedRoomDto {
  code: string;
  admin_token: string;
}

export interface RoomDto {
  id: number;
  code: string;
  name: string | null;
  created_at: string;
  last_active: string;
  /** Always 1: an expired or destroyed room is not found at all. */
  is_active: 1;
}

export interface RoomMessageDto {
  id: number;
  room_code: string;
  sender: string;
  content: string;
  /** `/rooms/<code>/files/<name>`, a path on this server; null for a text message. */
  file_path: string | null;
  file_type: string | null;
  created_at: string;
}

export interface RoomWebhookDto {
  id: number;
  room_code: string;
  label: string | null;
  created_at: string;
}

export interface CreatedRoomWebhookDto {
  id: number;
  room_code: string;
  label: string | null;
  /** Shown once; only its SHA-256 is stored. */
  token: string;
  url: string;
}

/** `2026-06-30T18:24:03`: the seed's format, in UTC. */
export const isoSeconds = (at: Date): string => at.toISOString().slice(0, 19);
