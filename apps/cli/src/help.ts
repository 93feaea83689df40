import { flagWithValue, GLOBAL_OPTIONS } from './args';
import type { Command, OptionSpec } from './command';

const GLOBAL_USAGE = '[--base URL] [--json]';

function optionRows(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, option]) => {
    const flag = flagWithValue(name, option);
    return [option.short ? `-${option.short}, ${flag}` : flag, option.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}

export function usageLine(command: Command): string {
  return `Usage: parley ${command.name} ${command.usage} ${GLOBAL_USAGE}`.replace(/ +/g, ' ');
}

export function commandHelp(command: Command): string {
  const lines = [usageLine(command), '', `${command.summary}`];
  if (Object.keys(command.options).length) lines.push('', 'Options:', ...optionRows(command.options));
  lines.push('', 'Global options:', ...optionRows(GLOBAL_OPTIONS));
  if (command.examples.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: parley <command> [options] [--base URL] [--json]',
    '',
    'Drive Parley ephemeral rooms from a terminal or a script.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...optionRows(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 ok, 1 the server said no, 2 usage error, 3 the server cannot be reached.',
    'Run "parley <command> --help" for the options of one command.',
  ].join('\n');
}
