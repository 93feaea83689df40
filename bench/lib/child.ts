import { ChildProcess, ChildProcessWithoutNullStreams, spawn, StdioOptions } from 'node:child_process';
import * as path from 'node:path';

const children = new Set<ChildProcess>();
/** Every process the bench started, so a failed run leaves none behind. */
export function trackProcess(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}
export function killAll(): void {
  for (const c of children) c.kill('SIGKILL');
}

/** Compiled bench scripts live beside this file in dist/bench. */
export const benchScript = (name: string): string => path.resolve(__dirname, '..', name);

export interface Child {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first stdout line that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the JSON of the last stdout line once the process exits. */
  result<T>(): Promise<T>;
}

/** `node [nodeArgs] script` in its own process, with the open-files limit raised for the many sockets of a load test. */
export function spawnNode(
  script: string,
  options: { nodeArgs?: string; env?: NodeJS.ProcessEnv; cwd?: string; stdio: StdioOptions },
): ChildProcess {
  const nodeArgs = (options.nodeArgs ?? '').split(/\s+/).filter(Boolean);
  return spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)"; exec node "$@"', 'bash', ...nodeArgs, script], {
    cwd: options.cwd,
    env: options.env,
    stdio: options.stdio,
  });
}

/**
 * Runs a bench script as its own process (never sharing an event loop with what it measures); its
 * arguments travel as JSON in BENCH_ARGS.
 */
export function startChild(script: string, args: unknown, options: { nodeArgs?: string } = {}): Child {
  const child = spawnNode(script, {
    nodeArgs: options.nodeArgs,
    env: { ...process.env, BENCH_ARGS: JSON.stringify(args) },
    stdio: ['pipe', 'pipe', 'pipe'],
  }) as ChildProcessWithoutNullStreams;
  let out = '';
  let err = '';
  const lineWaiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    for (const w of [...lineWaiters]) {
      const line = out.split('\n').find((l) => w.pattern.test(l));
      if (line !== undefined) {
        lineWaiters.splice(lineWaiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  children.add(child);
  void exited.then(() => children.delete(child));
  return {
    child,
    output: () => out + err,
    waitForLine: (pattern, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${script}: no ${String(pattern)} in time:\n${out}${err}`)),
          timeoutMs,
        );
        lineWaiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exited.then((code) =>
          reject(new Error(`${script} exited (${code}) before ${String(pattern)}:\n${out}${err}`)),
        );
      }),
    result: async <T>() => {
      const code = await exited;
      const last = out.trim().split('\n').pop() ?? '';
      try {
        return JSON.parse(last) as T;
      } catch {
        throw new Error(`${script} exited ${code} without a JSON result:\n${out}${err}`);
      }
    },
  };
}

export const benchArgs = <T>(): T => JSON.parse(process.env.BENCH_ARGS ?? '{}') as T;

/**
 * Each slice opens its connections afresh; what completes in its first moments (connection setup,
 * cold paths) is left out of every target's figures alike.
 */
export const RAMP_UP_MS = 250;

/** In an http-load body, replaced by the time (ms) each request is written: receivers measure delivery from it. */
export const SENT_AT = '<sentAt>';

/** What one load slice measured: its counted length, failures, and the latency (ms) of every counted success. */
export interface Slice {
  seconds: number;
  errors: number;
  latencies: number[];
}

export interface Load {
  rps: number;
  total: number;
  errors: number;
  p50: number;
  p99: number;
}

/** Slices of one target, interleaved with another's, summed into one figure. */
export function summarize(slices: Slice[]): Load {
  const latencies = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = slices.reduce((sum, s) => sum + s.seconds, 0);
  return {
    rps: latencies.length / seconds,
    total: latencies.length,
    errors: slices.reduce((sum, s) => sum + s.errors, 0),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** Resident memory of a process, in bytes (Linux). */
export function rssOf(pid: number): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const status = (require('node:fs') as typeof import('node:fs')).readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
