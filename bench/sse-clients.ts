import * as http from 'node:http';
import { benchArgs, percentile } from './lib/child';

interface Args {
  url: string;
  headers: Record<string, string>;
  count: number;
}

/**
 * Child process: holds `count` SSE connections, timestamps every `bench <seq> <sentAt>` message it
 * receives, and on "stop" (stdin) prints what arrived and how late.
 */
function main(): void {
  const args = benchArgs<Args>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const latencies: number[] = [];
  let received = 0;
  let connected = 0;
  let failed = 0;
  const requests: http.ClientRequest[] = [];
  const pattern = /bench (\d+) (\d+)/;

  const open = (i: number) => {
    const req = http.get(args.url, { agent, headers: { Accept: 'text/event-stream', ...args.headers } }, (res) => {
      if (res.statusCode !== 200) {
        failed++;
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buffered = '';
      let first = true;
      res.on('data', (chunk: string) => {
        if (first) {
          first = false;
          if (++connected + failed === args.count) process.stdout.write(`READY ${connected} ${failed}\n`);
        }
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const m = pattern.exec(frame);
          if (m) {
            received++;
            latencies.push(Date.now() - Number(m[2]));
          }
        }
      });
    });
    req.on('error', () => {
      failed++;
      if (connected + failed === args.count) process.stdout.write(`READY ${connected} ${failed}\n`);
    });
    requests[i] = req;
  };

  // Keep a bounded number of connections in the making, so the server's accept queue never
  // overflows and the pace follows what the server can take.
  const IN_FLIGHT = 100;
  let next = 0;
  const settled = () => connected + failed;
  const pump = () => {
    while (next < args.count && next - settled() < IN_FLIGHT) open(next++);
    if (next < args.count) setTimeout(pump, 5);
  };
  pump();
  const progress = setInterval(
    () => process.stderr.write(`sse-clients: ${connected} connected, ${failed} failed\n`),
    5000,
  );
  progress.unref();

  process.stdin.on('data', () => {
    latencies.sort((a, b) => a - b);
    process.stdout.write(
      JSON.stringify({ connected, failed, received, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }) +
        '\n',
    );
    requests.forEach((r) => r.destroy());
    process.exit(0);
  });
}

main();
