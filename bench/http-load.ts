import autocannon from 'autocannon';
import { benchArgs, RAMP_UP_MS, SENT_AT, Slice } from './lib/child';

interface Args {
  base: string;
  connections: number;
  seconds: number;
  requests: Array<{ method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string }>;
}

/** Requests whose body holds SENT_AT are rebuilt before each write, with the time put in. */
function stamped(requests: Args['requests']): autocannon.Request[] {
  return requests.map(({ body, ...r }) =>
    body?.includes(SENT_AT)
      ? { ...r, body, setupRequest: (req) => ({ ...req, body: body.replace(SENT_AT, String(Date.now())) }) }
      : { ...r, body },
  );
}

/** Child process: drives HTTP load with autocannon and prints one JSON line (a `Slice`). */
async function main(): Promise<void> {
  const args = benchArgs<Args>();
  const latencies: number[] = [];
  const countFrom = Date.now() + RAMP_UP_MS;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: args.base, connections: args.connections, duration: args.seconds, requests: stamped(args.requests) },
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
