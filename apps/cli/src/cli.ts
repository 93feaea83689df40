import { readFile } from 'node:fs/promises';
import { parseInvocation } from './args';
import type { Context, Output } from './command';
import { COMMANDS } from './commands';
import { CliError, EXIT, type ExitCode, ServerError, UsageError } from './errors';
import { commandHelp, globalHelp, usageLine } from './help';
import { type FetchLike, Http, parseBaseUrl } from './http';
import { connectWithSocketIo } from './live-socket';
import { formatJson } from './format';

export const DEFAULT_BASE = 'http://127.0.0.1:3000';

export interface RunOptions {
  out: Output;
  env?: Record<string, string | undefined>;
  fetch?: FetchLike;
  /** Anything else a test wants to replace (socket factory, interrupts, poll period…). */
  overrides?: Partial<Omit<Context, 'base' | 'json' | 'http' | 'out'>>;
}

/** Runs one `parley …` invocation and returns its exit code; never throws for a CLI failure. */
export async function run(argv: string[], options: RunOptions): Promise<ExitCode> {
  const { out } = options;
  const env = options.env ?? {};
  let json = false;
  try {
    const invocation = parseInvocation(argv, COMMANDS);
    if (invocation.kind === 'help') {
      out.stdout(invocation.command ? commandHelp(invocation.command) : globalHelp(COMMANDS));
      return EXIT.ok;
    }
    json = invocation.json;
    const base = parseBaseUrl(invocation.base ?? env.PARLEY_BASE ?? env.ZWIP_BASE ?? DEFAULT_BASE);
    const ctx: Context = {
      base,
      json,
      http: new Http(base, options.fetch),
      out,
      readFile: (path) => readFile(path),
      connectSocket: connectWithSocketIo,
      onInterrupt: () => () => undefined,
      pollIntervalMs: 2_000,
      ...options.overrides,
    };
    return (await invocation.command.run(ctx, invocation.values)) ?? EXIT.ok;
  } catch (error) {
    if (!(error instanceof CliError)) {
      out.stderr(`parley: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT.server;
    }
    if (error instanceof UsageError) {
      out.stderr(`parley: ${error.message}`);
      const command = COMMANDS.find((c) => c.name === error.command);
      out.stderr(
        command
          ? `${usageLine(command)}\nRun "parley ${command.name} --help" for details.`
          : `Commands: ${COMMANDS.map((c) => c.name).join(', ')}.\nRun "parley --help" for details.`,
      );
    } else {
      if (json && error instanceof ServerError && error.body && typeof error.body === 'object') {
        out.stdout(formatJson(error.body));
      }
      out.stderr(`parley: ${error.message}`);
    }
    return error.exitCode;
  }
}
