#!/usr/bin/env node
import { cliEnvironment } from '@parley/config';
import { run } from './cli';

// The `parley` bin: wires the process (argv, env, stdio, signals) to `run`, which does the rest.
void run(process.argv.slice(2), {
  out: {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  },
  env: cliEnvironment(),
  overrides: {
    onInterrupt(handler) {
      process.once('SIGINT', handler);
      process.once('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  },
}).then((code) => {
  process.exitCode = code;
});
