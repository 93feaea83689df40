import type { ExitCode } from './errors';
import type { Http } from './http';
import type { SocketFactory } from './live-socket';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The placeholder in usage lines, e.g. `CODE`. */
  value?: string;
  short?: string;
  description: string;
  required?: boolean;
}

export type Values = Record<string, string | boolean | undefined>;

export interface Output {
  /** One line of the command's result (a newline is added). */
  stdout(text: string): void;
  /** Notes, progress and errors (a newline is added). */
  stderr(text: string): void;
}

/** Everything a command may touch, so tests can run commands without a process or a server. */
export interface Context {
  base: string;
  json: boolean;
  http: Http;
  out: Output;
  readFile(path: string): Promise<Buffer>;
  /** tail: how to open the Socket.IO connection (socket.io-client by default). */
  connectSocket: SocketFactory;
  /** tail: calls `handler` on Ctrl-C / SIGTERM; returns an unsubscribe function. */
  onInterrupt(handler: () => void): () => void;
  /** tail: the polling fallback's period. */
  pollIntervalMs: number;
}

export interface Command {
  name: string;
  summary: string;
  /** The command's own part of the usage line, e.g. `--room CODE [--sender NAME]`. */
  usage: string;
  options: Record<string, OptionSpec>;
  examples: string[];
  /** Cross-option rules beyond `required` (e.g. exactly one of two). Throws a UsageError. */
  validate?(values: Values): void;
  run(ctx: Context, values: Values): Promise<ExitCode | void>;
}

/** The value of a string option that `required` (or `validate`) guaranteed to be there. */
export function stringValue(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string') throw new Error(`option --${name} was not checked`);
  return value;
}

export function optionalString(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Room codes are upper-case; a code typed in lower case still works. */
export function roomCode(values: Values): string {
  return stringValue(values, 'room').trim().toUpperCase();
}

/** `/rooms/<code><suffix>` with the code escaped, so no argument can reach another route. */
export function roomPath(code: string, suffix = ''): string {
  return `/rooms/${encodeURIComponent(code)}${suffix}`;
}

export const ROOM_OPTION: OptionSpec = { type: 'string', value: 'CODE', description: 'the room code', required: true };
