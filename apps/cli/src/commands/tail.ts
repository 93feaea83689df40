import { type Command, type Context, ROOM_OPTION, roomCode } from '../command';
import { CliError, EXIT, type ExitCode, ServerError, UnreachableError } from '../errors';
import { formatMessage, isRoomMessage, type RoomMessage, sanitize } from '../format';
import type { LiveSocket } from '../live-socket';
import { fetchMessages } from './read';

/** The name the CLI joins with; others in the room see it in `presence`. */
export const LIVE_NAME = 'parley-cli';

/** Connect attempts that fail at the transport before tail gives up (exit 3). */
const MAX_CONNECT_FAILURES = 3;

interface ConnectError extends Error {
  type?: string;
  description?: unknown;
}

/** No Socket.IO at all (the engine path answers 404) or no `/rooms` namespace on it. */
function meansNoGateway(error: ConnectError): boolean {
  return (error.type === 'TransportError' && error.description === 404) || error.message === 'Invalid namespace';
}

/**
 * Follows one room until Ctrl-C or its end. Live over Socket.IO; when the server has no rooms
 * gateway, by polling `GET /rooms/:code/messages`. Either way messages are de-duplicated by id and a
 * GET after every (re)connection fills any gap, so nothing is printed twice or lost in between.
 */
class TailSession {
  private readonly seen = new Set<string>();
  private socket?: LiveSocket;
  private timer?: NodeJS.Timeout;
  private done = false;
  private connectedOnce = false;
  private connectFailures = 0;
  private lostNoted = false;
  private resolve!: (code: ExitCode) => void;
  readonly finished = new Promise<ExitCode>((resolve) => (this.resolve = resolve));
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: Context,
    private readonly code: string,
    history: RoomMessage[],
  ) {
    for (const message of history) this.seen.add(String(message.id));
    this.unsubscribe = ctx.onInterrupt(() => this.finish(EXIT.ok));
  }

  async startLive(): Promise<void> {
    let socket: LiveSocket;
    try {
      socket = await this.ctx.connectSocket(this.ctx.base, { code: this.code, name: LIVE_NAME });
    } catch (error) {
      this.startPolling(`cannot open a live connection (${String(error)})`);
      return;
    }
    if (this.done) {
      socket.close();
      return;
    }
    this.socket = socket;
    socket.on('connect', () => this.onConnect());
    socket.on('connect_error', (error: ConnectError) => this.onConnectError(error));
    socket.on('disconnect', (reason: string) => this.onDisconnect(reason));
    socket.on('message', (message: unknown) => this.print(message));
    socket.on('destroyed', () => this.finish(EXIT.ok, `Room ${this.code} was destroyed.`));
    socket.on('presence', (presence: { who?: unknown }) => {
      if (!this.ctx.json && Array.isArray(presence?.who)) {
        this.ctx.out.stderr(`· in the room: ${sanitize(presence.who.map(String).join(', '))}`);
      }
    });
    socket.on('room_updated', (update: { name?: unknown }) => {
      if (!this.ctx.json && typeof update?.name === 'string') {
        this.ctx.out.stderr(`· room renamed to ${sanitize(update.name)}`);
      }
    });
  }

  private onConnect(): void {
    this.connectFailures = 0;
    this.lostNoted = false;
    this.ctx.out.stderr(this.connectedOnce ? 'Reconnected.' : `Tailing room ${this.code} live (Ctrl-C to stop).`);
    this.connectedOnce = true;
    void this.catchUp();
  }

  private onConnectError(error: ConnectError): void {
    if (this.done) return;
    if (error.message === 'room_not_found') {
      this.finish(EXIT.server, `parley: room ${this.code} not found (connect error room_not_found)`);
    } else if (!this.connectedOnce && meansNoGateway(error)) {
      this.socket?.close();
      this.socket = undefined;
      this.startPolling('the server has no Socket.IO rooms gateway');
    } else if (!this.socket?.active) {
      this.finish(EXIT.server, `parley: the server refused the live connection: ${sanitize(error.message)}`);
    } else if (!this.connectedOnce && ++this.connectFailures >= MAX_CONNECT_FAILURES) {
      this.finish(EXIT.unreachable, `parley: cannot open a live connection to ${this.ctx.base}: ${error.message}`);
    } else {
      this.noteLost(error.message);
    }
  }

  private onDisconnect(reason: string): void {
    if (this.done || reason === 'io client disconnect') return;
    if (reason === 'io server disconnect') {
      // Socket.IO does not reconnect after this. `destroyed` normally came first; if it did not
      // arrive, a room that is gone still ends with 0 (catchUp), anything else is the server's no.
      void this.catchUp().then(() =>
        this.finish(EXIT.server, `parley: the server closed the live connection to ${this.code}`),
      );
      return;
    }
    this.noteLost(reason);
  }

  private noteLost(reason: string): void {
    if (this.lostNoted) return;
    this.lostNoted = true;
    this.ctx.out.stderr(`Connection lost (${sanitize(reason)}); retrying…`);
  }

  startPolling(why: string): void {
    if (this.done) return;
    const seconds = this.ctx.pollIntervalMs / 1000;
    this.ctx.out.stderr(`Note: ${why}; polling every ${seconds} s instead.`);
    this.ctx.out.stderr(`Tailing room ${this.code} by polling (Ctrl-C to stop).`);
    const tick = async () => {
      await this.catchUp();
      if (!this.done) this.timer = setTimeout(() => void tick(), this.ctx.pollIntervalMs);
    };
    this.timer = setTimeout(() => void tick(), this.ctx.pollIntervalMs);
  }

  /** Prints whatever the room holds that was not printed yet; a room that is gone ends the tail. */
  private async catchUp(): Promise<void> {
    try {
      const messages = await fetchMessages(this.ctx, this.code);
      for (const message of messages) this.print(message);
      this.lostNoted = false;
    } catch (error) {
      if (error instanceof ServerError && (error.status === 404 || error.status === 410)) {
        this.finish(EXIT.ok, `Room ${this.code} is gone (destroyed or expired).`);
      } else if (error instanceof UnreachableError) {
        this.noteLost(error.message);
      } else if (error instanceof CliError) {
        this.ctx.out.stderr(`parley: ${error.message}`);
      } else {
        this.finish(EXIT.server, `parley: ${String(error)}`);
      }
    }
  }

  private print(message: unknown): void {
    if (this.done || !isRoomMessage(message)) return;
    const id = String(message.id);
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.ctx.out.stdout(this.ctx.json ? JSON.stringify(message) : formatMessage(message, this.ctx.base));
  }

  finish(code: ExitCode, note?: string): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.unsubscribe();
    if (note) this.ctx.out.stderr(note);
    this.resolve(code);
  }
}

export const tail: Command = {
  name: 'tail',
  summary: "Follow a room live: print each new message until Ctrl-C or the room's end.",
  usage: '--room CODE',
  options: { room: ROOM_OPTION },
  examples: ['parley tail --room X7K9M2P', 'parley tail --room X7K9M2P --json | jq -r .content'],
  async run(ctx, values) {
    const code = roomCode(values);
    // Fails fast with 1 (no such room) or 3 (no server) before any socket is opened; what the room
    // already holds is history, not news.
    const history = await fetchMessages(ctx, code);
    const session = new TailSession(ctx, code, history);
    await session.startLive();
    return session.finished;
  },
};
