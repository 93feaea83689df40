import autocannon from 'autocannon';
import { benchArgs, RAMP_UP_MS, Slice } from './lib/child';

interface Args {
  base: string;
  connections: number;
  seconds: number;
  requests: Array<{ method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string }>;
}

/** Child process: drives HTTP load with autocannon and prints one JSON line (a `Slice`). */
async function main(): Promise<void> {
  const args = benchArgs<Args>();
  const latencies: number[] = [];
  const countFrom = Date.now() + RAMP_UP_MS;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: args.base, connections: args.connections, duration: args.seconds, requests: args.requests },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300 && Date.now() >= countFrom) {
        latencies.push(Math.round(responseTime * 100) / 100);
      }
    });
  });
  const slice: Slice = {
    seconds: args.seconds - RAMP_UP_MS / 1000,
    errors: result.errors + result.timeouts + result.non2xx,
    latencies,
  };
  process.stdout.write(JSON.stringify(slice) + '\n');
}

void main();
