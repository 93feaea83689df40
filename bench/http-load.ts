import autocannon from 'autocannon';
import { benchArgs } from './lib/child';

interface Args {
  base: string;
  connections: number;
  seconds: number;
  requests: Array<{ method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string }>;
}

/** Child process: drives HTTP load with autocannon and prints one JSON line. */
async function main(): Promise<void> {
  const args = benchArgs<Args>();
  const result = await autocannon({
    url: args.base,
    connections: args.connections,
    duration: args.seconds,
    requests: args.requests,
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  process.stdout.write(
    JSON.stringify({
      rps: result.requests.average,
      total: result['2xx'],
      errors,
      p50: result.latency.p50,
      p99: result.latency.p99,
    }) + '\n',
  );
}

void main();
