import * as http from 'node:http';

export interface SseFrame {
  id: string | undefined;
  type: string;
  payload: any;
}

/**
 * Reads an SSE stream over a real HTTP connection and parses its frames, so tests assert on what
 * a subscriber actually receives (ids, order, comments aside).
 */
export class SseClient {
  readonly frames: SseFrame[] = [];
  status = 0;
  private req: http.ClientRequest | undefined;
  private buffer = '';
  private waiters: Array<() => void> = [];
  closed = false;

  static async open(
    url: string,
    options: { token?: string; lastEventId?: string | number; headers?: Record<string, string> } = {},
  ): Promise<SseClient> {
    const client = new SseClient();
    await client.connect(url, options);
    return client;
  }

  private connect(
    url: string,
    options: { token?: string; lastEventId?: string | number; headers?: Record<string, string> },
  ): Promise<void> {
    const headers: Record<string, string> = { Accept: 'text/event-stream', ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.lastEventId !== undefined) headers['Last-Event-ID'] = String(options.lastEventId);
    return new Promise((resolve, reject) => {
      this.req = http.get(url, { headers }, (res) => {
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.onData(chunk));
        res.on('end', () => this.onClose());
        res.on('error', () => this.onClose());
        resolve();
      });
      this.req.on('error', (e) => (this.status ? this.onClose() : reject(e)));
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length === 0) continue;
      const parsed = JSON.parse(data.join('\n')) as { type: string; payload: unknown };
      this.frames.push({ id, type: parsed.type, payload: parsed.payload });
    }
    this.notify();
  }

  private onClose(): void {
    this.closed = true;
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Frames other than the CONNECTED handshake. */
  get events(): SseFrame[] {
    return this.frames.filter((f) => f.type !== 'CONNECTED');
  }

  async waitFor(predicate: (frames: SseFrame[]) => boolean, timeoutMs = 10_000): Promise<SseFrame[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.frames)) {
      if (this.closed) throw new Error(`stream closed; frames: ${JSON.stringify(this.frames.map((f) => f.type))}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out waiting for SSE frames; got ${JSON.stringify(this.frames.map((f) => [f.id, f.type]))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.frames;
  }

  waitForType(type: string, count = 1, timeoutMs?: number): Promise<SseFrame[]> {
    return this.waitFor((f) => f.filter((x) => x.type === type).length >= count, timeoutMs).then((f) =>
      f.filter((x) => x.type === type),
    );
  }

  /**
   * The first frame of `type` whose payload matches: an event committed just before the stream
   * opened may still arrive live, so a test waits for *its* event rather than the next of a type.
   */
  async waitForMatch(type: string, match: (payload: any) => boolean, timeoutMs?: number): Promise<SseFrame> {
    const found = (frames: SseFrame[]) => frames.find((f) => f.type === type && match(f.payload));
    return found(await this.waitFor((frames) => found(frames) !== undefined, timeoutMs))!;
  }

  /** Waits a little and asserts nothing more arrived (for "never sees" checks). */
  async quietFor(ms: number): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
  }

  close(): void {
    this.req?.destroy();
    this.closed = true;
  }
}

/**
 * Streams a test opens, each already past its CONNECTED frame, closed together after each test:
 * `const streams = new SseStreams(() => app.baseUrl)`, `afterEach(() => streams.closeAll())`.
 */
export class SseStreams {
  private readonly open: SseClient[] = [];

  constructor(private readonly baseUrl: () => string) {}

  async connect(user: { token: string }, lastEventId?: string | number): Promise<SseClient> {
    const stream = await SseClient.open(`${this.baseUrl()}/events`, { token: user.token, lastEventId });
    this.open.push(stream);
    await stream.waitForType('CONNECTED');
    return stream;
  }

  closeAll(): void {
    this.open.splice(0).forEach((s) => s.close());
  }
}
