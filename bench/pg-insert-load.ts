import { Client } from 'pg';
import { benchArgs, RAMP_UP_MS, Slice } from './lib/child';

interface Args {
  url: string;
  connections: number;
  seconds: number;
}

/** Child process: the raw floor — single-row INSERT … RETURNING, c connections, autocommit. */
async function main(): Promise<void> {
  const args = benchArgs<Args>();
  const clients = await Promise.all(
    Array.from({ length: args.connections }, async () => {
      const c = new Client({ connectionString: args.url });
      await c.connect();
      return c;
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  const countFrom = Date.now() + RAMP_UP_MS;
  const end = Date.now() + args.seconds * 1000;
  await Promise.all(
    clients.map(async (c, i) => {
      while (Date.now() < end) {
        const t = process.hrtime.bigint();
        try {
          await c.query('INSERT INTO bench_scratch (content) VALUES ($1) RETURNING id', [`raw insert ${i}`]);
          if (Date.now() >= countFrom) latencies.push(Math.round(Number(process.hrtime.bigint() - t) / 1e4) / 100);
        } catch {
          errors++;
        }
      }
    }),
  );
  await Promise.all(clients.map((c) => c.end()));
  const slice: Slice = { seconds: args.seconds - RAMP_UP_MS / 1000, errors, latencies };
  process.stdout.write(JSON.stringify(slice) + '\n');
}

void main();
