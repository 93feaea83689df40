import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { TooManyRequestsError } from '@parley/common';
import { EventsRepository, Principal, SessionsRepository, StoredEvent } from '@parley/database';
import { EventBus } from '@parley/events';
import type { Response } from 'express';
import type { Writable } from 'node:stream';

/** Where a client's event bytes are written (see `connect`). */
type Sink = Pick<Writable, 'write' | 'destroyed' | 'writableEnded' | 'writableLength' | 'on' | 'off'>;

interface Subscriber {
  sessionId: string;
  workspaceId: string;
  userId: string;
  isAdmin: boolean;
  res: Response;
  out: Sink;
  /** Highest position written to this client. */
  delivered: number;
  /** While a replay is running, live events wait here. */
  pending: StoredEvent[] | null;
  closed: boolean;
}

const REPLAY_PAGE = 500;
// A client this far behind is cut off; it reconnects with Last-Event-ID and loses nothing.
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
// Replay pauses for the client to read once this much is waiting in the socket.
const REPLAY_HIGH_WATER_BYTES = 1024 * 1024;
const MAX_PENDING_EVENTS = 10_000;
// How long a resuming client may wait for this process to catch up with a position it saw elsewhere.
const CATCH_UP_MS = 3000;

/**
 * Serialised and UTF-8 encoded once per event and audience, then written to every matching client
 * as is: with 10,000 clients, per-client work is what the fan-out costs.
 */
class FrameCache {
  private plain?: Buffer;
  private admin?: Buffer;
  constructor(private readonly event: StoredEvent) {}
  for(isAdmin: boolean): Buffer {
    if (isAdmin && this.event.adminPayloadJson !== null) {
      return (this.admin ??= frame(this.event.position, this.event.type, this.event.adminPayloadJson));
    }
    return (this.plain ??= frame(this.event.position, this.event.type, this.event.payloadJson));
  }
}

const frame = (position: number, type: string, payloadJson: string): Buffer =>
  Buffer.from(`id: ${position}\ndata: {"type":${JSON.stringify(type)},"payload":${payloadJson}}\n\n`);

const streamFrame = (position: number, type: 'CONNECTED' | 'RESYNC', payload: object): Buffer =>
  frame(position, type, JSON.stringify(payload));

const HEARTBEAT = Buffer.from(': heartbeat\n\n');

const streamKey = (s: { workspaceId: string; userId: string }): string => `${s.workspaceId}:${s.userId}`;

const mayReceive = (sub: Subscriber, event: StoredEvent): boolean =>
  event.recipientIds === null || event.recipientIds.includes(sub.userId);

/**
 * The SSE side of the event bus: one set of subscribers per workspace, per-recipient filtering,
 * Last-Event-ID replay spliced onto the live stream with no gap and no duplicate.
 */
@Injectable()
export class SseHub implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('SSE');
  private readonly byWorkspace = new Map<string, Set<Subscriber>>();
  private readonly streamsPerUser = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly events: EventsRepository,
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe((batch) => this.dispatch(batch));
    this.heartbeat = setInterval(() => void this.beat(), this.config.events.heartbeatSeconds * 1000);
    this.heartbeat.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const set of [...this.byWorkspace.values()]) for (const sub of [...set]) this.close(sub);
  }

  async connect(principal: Principal, res: Response, lastEventId: number | undefined): Promise<void> {
    // A position seen through another process may be just ahead of this one: let it catch up.
    if (lastEventId !== undefined) await this.waitForSettled(lastEventId, CATCH_UP_MS);
    // Checked in the same tick as the registration below, so concurrent connects cannot overshoot.
    if ((this.streamsPerUser.get(streamKey(principal)) ?? 0) >= this.config.events.maxStreamsPerUser) {
      throw new TooManyRequestsError('Too many open event streams for this user', 'TOO_MANY_STREAMS');
    }

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    // The stream ends only when the connection does, so it needs no chunked framing: an event is
    // then one socket write of one buffer instead of four chunk pieces. (Node answers
    // `Connection: close`, which is what this response does.)
    res.useChunkedEncodingByDefault = false;
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    // With the headers on the socket and no chunk framing, events are written to the socket itself:
    // a fan-out to 10,000 clients spent most of its time in the response's own write bookkeeping.
    // A response still queued behind a pipelined one has no socket yet and keeps its order itself; a HEAD
    // response goes through the response too, which sends it no body.
    const out: Sink = res.req.method !== 'HEAD' && res.socket ? res.socket : res;

    const sub: Subscriber = {
      sessionId: principal.sessionId,
      workspaceId: principal.workspaceId,
      userId: principal.userId,
      isAdmin: principal.role === 'admin',
      res,
      out,
      delivered: 0,
      pending: [],
      closed: false,
    };
    // Register and read the settled position in the same tick: live events after this point
    // are exactly those above `settled`.
    this.register(sub);
    const settled = this.bus.settledPosition();
    res.on('close', () => this.close(sub));
    res.on('error', () => this.close(sub));

    this.send(sub, 'retry: 2000\n\n');
    this.send(
      sub,
      streamFrame(lastEventId ?? settled, 'CONNECTED', {
        message: 'SSE connection established',
        timestamp: new Date().toISOString(),
        userId: principal.userId,
        workspaceId: principal.workspaceId,
        connectionId: randomUUID(),
        position: settled,
      }),
    );
    try {
      if (lastEventId !== undefined) await this.replay(sub, lastEventId, settled);
    } catch (error) {
      this.logger.error(`replay failed: ${error instanceof Error ? error.message : String(error)}`);
      this.close(sub);
      return;
    }
    sub.delivered = settled;
    const pending = sub.pending ?? [];
    sub.pending = null;
    for (const event of pending) this.write(sub, event, new FrameCache(event));
  }

  private async replay(sub: Subscriber, lastEventId: number, settled: number): Promise<void> {
    const resync = (reason: string) => this.send(sub, streamFrame(settled, 'RESYNC', { reason, position: settled }));
    if (lastEventId > settled) return void resync('unknown position');
    if (lastEventId < (await this.events.prunedThrough())) return void resync('position is past the retention window');
    let cursor = lastEventId;
    while (cursor < settled && !sub.closed) {
      const page = await this.events.readForRecipient(sub.workspaceId, sub.userId, cursor, settled, REPLAY_PAGE);
      for (const event of page) this.send(sub, new FrameCache(event).for(sub.isAdmin));
      if (page.length < REPLAY_PAGE) break;
      cursor = page[page.length - 1].position;
      await this.drained(sub);
    }
    // Retention may have pruned part of the range while it was being read.
    if (!sub.closed && (await this.events.prunedThrough()) > lastEventId) {
      resync('position is past the retention window');
    }
  }

  private dispatch(batch: readonly StoredEvent[]): void {
    for (const event of batch) {
      // Ephemeral rooms' events (no workspace) are for the rooms gateway only.
      const subs = event.workspaceId === null ? undefined : this.byWorkspace.get(event.workspaceId);
      if (!subs) continue;
      const frames = new FrameCache(event);
      for (const sub of subs) {
        if (!sub.pending) this.write(sub, event, frames);
        else if (sub.pending.push(event) > MAX_PENDING_EVENTS) this.close(sub);
      }
    }
  }

  private write(sub: Subscriber, event: StoredEvent, frames: FrameCache): void {
    if (event.position <= sub.delivered) return;
    sub.delivered = event.position;
    if (mayReceive(sub, event)) this.send(sub, frames.for(sub.isAdmin));
  }

  /** The one place that writes to a client: never after the end, never without bound. */
  private send(sub: Subscriber, chunk: Buffer | string): void {
    const out = sub.out;
    if (sub.closed || out.writableEnded || out.destroyed) return;
    out.write(chunk);
    if (out.writableLength > MAX_BUFFERED_BYTES) {
      this.logger.warn('closing an SSE client that stopped reading');
      this.close(sub, true);
    }
  }

  private close(sub: Subscriber, destroy = false): void {
    if (!sub.closed) {
      sub.closed = true;
      sub.pending = null;
      this.unregister(sub);
    }
    if (destroy) sub.res.destroy();
    else if (!sub.res.writableEnded) sub.res.end();
  }

  private drained(sub: Subscriber): Promise<void> {
    if (sub.closed || sub.out.writableLength < REPLAY_HIGH_WATER_BYTES) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        sub.out.off('drain', done);
        sub.out.off('close', done);
        resolve();
      };
      sub.out.on('drain', done);
      sub.out.on('close', done);
    });
  }

  private async waitForSettled(position: number, timeoutMs: number): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; this.bus.settledPosition() < position && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * Keeps proxies from closing idle streams, and re-checks every stream's session: a revoked
   * session or a removed membership ends the stream within one heartbeat; a role change applies.
   */
  private async beat(): Promise<void> {
    const subs = [...this.byWorkspace.values()].flatMap((set) => [...set]);
    for (const sub of subs) if (!sub.pending) this.send(sub, HEARTBEAT);
    if (subs.length === 0) return;
    try {
      const live = new Map(
        (await this.sessions.findLivePrincipals([...new Set(subs.map((s) => s.sessionId))])).map((p) => [
          p.sessionId,
          p,
        ]),
      );
      for (const sub of subs) {
        const principal = live.get(sub.sessionId);
        if (!principal) this.close(sub);
        else sub.isAdmin = principal.role === 'admin';
      }
    } catch (error) {
      this.logger.warn(`could not re-check SSE sessions: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private register(sub: Subscriber): void {
    let set = this.byWorkspace.get(sub.workspaceId);
    if (!set) this.byWorkspace.set(sub.workspaceId, (set = new Set()));
    set.add(sub);
    const key = streamKey(sub);
    this.streamsPerUser.set(key, (this.streamsPerUser.get(key) ?? 0) + 1);
  }

  private unregister(sub: Subscriber): void {
    const set = this.byWorkspace.get(sub.workspaceId);
    if (!set) return;
    if (!set.delete(sub)) return;
    if (set.size === 0) this.byWorkspace.delete(sub.workspaceId);
    const key = streamKey(sub);
    const left = (this.streamsPerUser.get(key) ?? 1) - 1;
    if (left > 0) this.streamsPerUser.set(key, left);
    else this.streamsPerUser.delete(key);
  }
}
