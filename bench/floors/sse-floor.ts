import * as http from 'node:http';
import { benchArgs } from '../lib/child';

/**
 * Child process: the bare Node SSE floor. GET /events subscribes; POST /publish {content} writes
 * one NEW_MESSAGE frame, serialised once, to every subscriber.
 */
function main(): void {
  // Exit through Node's exit path, so a --cpu-prof profile (via NODE_OPTIONS) gets written.
  process.once('SIGTERM', () => process.exit(0));
  const { port } = benchArgs<{ port: number }>();
  const clients = new Set<http.ServerResponse>();
  let id = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/events')) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write(`id: ${id}\ndata: {"type":"CONNECTED","payload":{}}\n\n`);
      clients.add(res);
      res.on('close', () => clients.delete(res));
      return;
    }
    if (req.method === 'POST' && req.url === '/publish') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { content } = JSON.parse(body) as { content: string };
        const frame = `id: ${++id}\ndata: {"type":"NEW_MESSAGE","payload":{"id":"${id}","content":${JSON.stringify(content)}}}\n\n`;
        for (const c of clients) c.write(frame);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      });
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write('READY\n'));
}

main();
