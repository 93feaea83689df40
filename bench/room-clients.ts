import { io, Socket } from 'socket.io-client';
import { benchArgs, percentile } from './lib/child';

interface Args {
  base: string;
  code: string;
  count: number;
}

/**
 * Child process: holds `count` live sockets in one room (namespace `/rooms`), timestamps every
 * `bench <sentAt>` message it receives, and on "stop" (stdin) prints what arrived and how late.
 */
function main(): void {
  const args = benchArgs<Args>();
  const latencies: number[] = [];
  const sockets: Socket[] = [];
  let received = 0;
  let connected = 0;
  let failed = 0;
  let dropped = 0;
  const pattern = /^bench (\d+)/;

  const settled = () => connected + failed;
  const reportReady = () => {
    if (settled() === args.count) process.stdout.write(`READY ${connected} ${failed}\n`);
  };
  const open = (i: number) => {
    // Websocket only, no reconnection: a dropped socket shows as missing deliveries, not as a silent rejoin.
    const socket = io(`${args.base}/rooms`, {
      auth: { code: args.code, name: `bench ${i}` },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.once('session', () => {
      connected++;
      reportReady();
    });
    socket.once('connect_error', () => {
      failed++;
      reportReady();
    });
    socket.once('disconnect', () => dropped++);
    socket.on('message', (message: { content?: string }) => {
      const m = pattern.exec(message.content ?? '');
      if (!m) return;
      received++;
      latencies.push(Date.now() - Number(m[1]));
    });
    sockets[i] = socket;
  };

  // A bounded number of handshakes in the making, as sse-clients does.
  const IN_FLIGHT = 50;
  let next = 0;
  const pump = () => {
    while (next < args.count && next - settled() < IN_FLIGHT) open(next++);
    if (next < args.count) setTimeout(pump, 5);
  };
  pump();

  // "count <n>" answers `RECEIVED <n> <received>` (the bench waits for the fan-out to drain); "stop" ends.
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (line: string) => {
    const query = /^count (\d+)/.exec(line);
    if (query) {
      process.stdout.write(`RECEIVED ${query[1]} ${received}\n`);
      return;
    }
    latencies.sort((a, b) => a - b);
    process.stdout.write(
      JSON.stringify({
        connected,
        failed,
        dropped,
        received,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
      }) + '\n',
    );
    sockets.forEach((s) => s.disconnect());
    process.exit(0);
  });
}

main();
