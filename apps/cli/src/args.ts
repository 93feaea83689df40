import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command, OptionSpec, Values } from './command';
import { UsageError } from './errors';

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  base: {
    type: 'string',
    value: 'URL',
    description: 'server base URL (default: $PARLEY_BASE, else http://127.0.0.1:3000)',
  },
  json: { type: 'boolean', description: 'print the raw JSON result instead of the human form' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

export type Invocation =
  { kind: 'help'; command?: Command } | { kind: 'run'; command: Command; values: Values; base?: string; json: boolean };

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

function toParseOptions(...specs: Record<string, OptionSpec>[]): ParseOptions {
  const options: ParseOptions = {};
  for (const spec of specs) {
    for (const [name, option] of Object.entries(spec)) {
      options[name] = option.short ? { type: option.type, short: option.short } : { type: option.type };
    }
  }
  return options;
}

/** `--room CODE`, or `--json` for a boolean. */
export function flagWithValue(name: string, option: OptionSpec): string {
  return option.type === 'string' ? `--${name} ${option.value ?? 'VALUE'}` : `--${name}`;
}

/**
 * `parley [global options] <command> [options]`; global options may also come after the command.
 * Throws a UsageError for anything it cannot run.
 */
export function parseInvocation(argv: string[], commands: readonly Command[]): Invocation {
  const byName = new Map(commands.map((c) => [c.name, c]));
  // A lenient pass with every known option finds the command word, skipping option values.
  const { tokens } = parseArgs({
    args: argv,
    options: toParseOptions(GLOBAL_OPTIONS, ...commands.map((c) => c.options)),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals = tokens.filter((t) => t.kind === 'positional');
  const word = positionals[0];
  const helpAsked = tokens.some((t) => t.kind === 'option' && t.name === 'help');

  if (!word) {
    if (helpAsked) return { kind: 'help' };
    throw new UsageError(argv.length ? 'missing command' : 'no command given');
  }
  if (word.value === 'help') {
    const next = positionals[1];
    if (!next) return { kind: 'help' };
    const command = byName.get(next.value);
    if (!command) throw new UsageError(`unknown command "${next.value}"`);
    return { kind: 'help', command };
  }
  const command = byName.get(word.value);
  if (!command) throw new UsageError(`unknown command "${word.value}"`);

  const rest = argv.filter((_, i) => i !== word.index);
  let values: Values;
  try {
    values = parseArgs({
      args: rest,
      options: toParseOptions(GLOBAL_OPTIONS, command.options),
      strict: true,
      allowPositionals: false,
    }).values as Values;
  } catch (error) {
    throw new UsageError(parseErrorMessage(error), command.name);
  }
  if (values.help) return { kind: 'help', command };

  for (const [name, option] of Object.entries(command.options)) {
    if (option.required && values[name] === undefined) {
      throw new UsageError(`missing ${flagWithValue(name, option)}`, command.name);
    }
  }
  command.validate?.(values);
  const { base, json, help: _help, ...own } = values;
  return {
    kind: 'run',
    command,
    values: own,
    base: typeof base === 'string' ? base : undefined,
    json: json === true,
  };
}

/** parseArgs' messages carry advice for script authors; the first sentence is what a user needs. */
function parseErrorMessage(error: unknown): string {
  // Not `instanceof Error`: node's own errors come from another realm under jest.
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1];
    return `unknown option ${option ?? message}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']+)'/.exec(message)?.[1];
    return `unexpected argument ${arg ? JSON.stringify(arg) : ''}`.trim();
  }
  const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  // "Option '--content' argument is ambiguous. Did you forget …? To specify … use '--content=-XYZ'".
  const ambiguous = /^Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value (write ${ambiguous[1]}=-VALUE for one that starts with a dash)`;
  return message.split('. ')[0].replace(/\.$/, '');
}
