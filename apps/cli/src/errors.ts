/** The process exit codes the CLI promises (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** The server answered with an error status. */
  server: 1,
  /** Unknown command or option, missing or invalid argument. */
  usage: 2,
  /** The server could not be reached at all. */
  unreachable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure that ends the command with a message on stderr and a given exit code. */
export abstract class CliError extends Error {
  abstract readonly exitCode: ExitCode;
}

export class UsageError extends CliError {
  readonly exitCode = EXIT.usage;
  constructor(
    message: string,
    /** The command whose usage line is printed with the error, if any. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export class ServerError extends CliError {
  readonly exitCode = EXIT.server;
  constructor(
    readonly status: number,
    readonly statusText: string,
    /** The parsed JSON body, or the text when it was not JSON. */
    readonly body: unknown,
  ) {
    super(`server answered ${status}${statusText ? ` ${statusText}` : ''}: ${describeErrorBody(body, status)}`);
  }
}

export class UnreachableError extends CliError {
  readonly exitCode = EXIT.unreachable;
}

/** The most telling text in an error body: `{error}` (Parley), `{detail}` (zwip), `{message}`, or the text. */
export function describeErrorBody(body: unknown, status: number): string {
  if (typeof body === 'string') return body.trim() || `HTTP ${status}`;
  if (body && typeof body === 'object') {
    const fields = body as Record<string, unknown>;
    for (const key of ['error', 'detail', 'message']) {
      const value = fields[key];
      if (typeof value === 'string' && value) return withDetails(value, fields.details);
      if (Array.isArray(value) && value.length)
        return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('; ');
    }
    return JSON.stringify(body);
  }
  return `HTTP ${status}`;
}

/** Parley's validation errors list what was wrong in `details`. */
function withDetails(message: string, details: unknown): string {
  if (!Array.isArray(details) || !details.length) return message;
  return `${message} (${details.map((d) => (typeof d === 'string' ? d : JSON.stringify(d))).join('; ')})`;
}
