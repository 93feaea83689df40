import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError, ipBucketKey } from '@parley/common';
import { randomToken, sha256 } from '@parley/crypto';
import type { Server as HttpServer } from 'node:http';
import { Namespace, Server, Socket } from 'socket.io';
import { RoomCommandRegistry } from '../commands/room-command.registry';
import { RoomEvent, RoomEvents, RoomRef } from '../room-events.service';
import { RoomMessagesService } from '../room-messages.service';
import { MutedError, RoomModeration, SlowmodeError } from '../room-moderation';
import { RoomPresence } from '../room-presence';
import { RoomRateLimiters } from '../room-rate-limit.guard';
import { RoomsService } from '../rooms.service';

const MAX_NAME = 50;
const DISCONNECT_GRACE_MS = 250;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
/** Connect errors a client may see; anything else is logged and answered `server_error`. */
const CONNECT_ERRORS = new Set(['room_not_found', 'invalid_name', 'banned', 'closed']);
/** A session id as the server issues it (`randomToken`: 43 base64url characters). */
const SESSION = /^[\w-]{43}$/;

interface RoomSocketData {
  roomId: string;
  code: string;
  name: string;
  adminToken: string | undefined;
  /** The room's admin token was presented and is right. */
  admin: boolean;
  session: string;
  /** SHA-256 of the session, hex: how presence and moderation name it across processes. */
  sessionHash: string;
}

type Ack = (answer: unknown) => void;

/** `{error, code}` like the HTTP API, for an acknowledgement (`retry_after` in seconds when muted or slowed). */
const failure = (error: unknown): { error: string; code: string; retry_after?: number } => {
  if (error instanceof MutedError || error instanceof SlowmodeError) {
    return { error: error.message, code: error.code, retry_after: error.retryAfterSeconds };
  }
  if (error instanceof DomainError) return { error: error.message, code: error.code };
  const body = (error as { getResponse?: () => unknown }).getResponse?.();
  if (body && typeof body === 'object' && 'code' in body) return body as { error: string; code: string };
  return { error: 'Internal error', code: 'INTERNAL' };
};

/**
 * The live side of ephemeral rooms (PRODUCT.md §5): Socket.IO namespace `/rooms`. The handshake
 * names the room and the visitor (`auth: {code, name}`, optionally `adminToken`); an unknown or
 * expired code is refused with the connect error `room_not_found`, a banned one with `banned`.
 * Each browser gets a session id (`session` event, `{session}`) which it presents again as
 * `auth.session` on reconnect; moderation keys on it (docs/decisions/0007 § Commands). Clients
 * receive `message`, `presence`, `room_updated`, `destroyed`, and `kicked`/`banned` before a
 * moderator disconnects them; they may emit `message` ({content}) and `command` ({command}),
 * each answered through the acknowledgement. Events come from RoomEvents (the event log, so a
 * post or a moderator's command in another process reaches these sockets too) — one subscription
 * per room per process. Presence is kept in PostgreSQL by RoomPresence.
 */
@Injectable()
export class RoomsGateway implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RoomsGateway');
  private io: Server | undefined;
  private namespace: Namespace | undefined;
  /** By room id: the RoomEvents subscription and how many of this process's sockets are in the room. */
  private readonly subscriptions = new Map<string, { unsubscribe: () => void; sockets: number }>();
  /** Admitted sockets not yet connected, by id: what to undo if their client leaves first. */
  private readonly abandons = new Map<string, () => void>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly rooms: RoomsService,
    private readonly messages: RoomMessagesService,
    private readonly events: RoomEvents,
    private readonly commands: RoomCommandRegistry,
    private readonly presence: RoomPresence,
    private readonly moderation: RoomModeration,
    private readonly limiters: RoomRateLimiters,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    // No client bundle from the server (the page bundles socket.io-client); no cross-origin use.
    this.io = new Server(server, { serveClient: false, cors: { origin: false } });
    this.namespace = this.io.of('/rooms');
    this.namespace.use((socket, next) => {
      this.admit(socket).then(
        () => next(),
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : '';
          if (CONNECT_ERRORS.has(reason)) return next(new Error(reason));
          // Never a driver's message to the client.
          this.logger.error(`room handshake failed: ${reason || String(error)}`);
          next(new Error('server_error'));
        },
      );
    });
    this.namespace.on('connection', (socket) => this.connected(socket));
  }

  onApplicationShutdown(): void {
    for (const { unsubscribe } of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    // Not io.close(): that would also close the HTTP server, which Nest closes itself afterwards.
    this.io?.disconnectSockets(true);
    this.io?.engine.close();
  }

  private async admit(socket: Socket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const room = await this.rooms.requireLive(auth.code).catch(() => {
      throw new Error('room_not_found');
    });
    const name = typeof auth.name === 'string' ? auth.name.replace(CONTROL_CHARACTERS, '').trim() : '';
    if (name === '' || [...name].length > MAX_NAME) throw new Error('invalid_name');
    const adminToken = typeof auth.adminToken === 'string' ? auth.adminToken : undefined;
    let admin = false;
    if (adminToken !== undefined) {
      try {
        this.rooms.checkAdmin(room, adminToken);
        admin = true;
      } catch {
        // A wrong token is no reason to refuse a visitor; admin commands answer 403.
      }
    }
    // The client's session if it presents one shaped like ours, else a new one: a reload keeps it.
    const session = typeof auth.session === 'string' && SESSION.test(auth.session) ? auth.session : randomToken();
    if (!admin && (await this.moderation.isBanned(room, session, name))) throw new Error('banned');
    const sessionHash = sha256(session).toString('hex');
    const data: RoomSocketData = { roomId: room.id, code: room.code, name, adminToken, admin, session, sessionHash };
    socket.data = data;
    // Present before the handshake completes, so a command right after `connect` finds this
    // socket; subscribed before the join is announced, so this socket hears its own `presence`
    // (Socket.IO connects it on the next tick, long before the announcement is read back).
    const ref = { id: room.id, code: room.code };
    this.subscribe(ref);
    const joined = await this.presence.join(ref, { socketId: socket.id, session, name }).catch((error: unknown) => {
      this.release(room.id);
      throw error;
    });
    if (!joined) {
      this.release(room.id);
      throw new Error('room_not_found'); // ended since it was looked up
    }
    // Socket.IO drops, without `connection` or `disconnect`, a handshake whose client left while
    // this ran: undo the presence and the subscription then, or the name would stay in `/who`.
    const abandon = () => this.forget(socket.id, room.id);
    if (socket.conn.readyState !== 'open') {
      abandon();
      throw new Error('closed');
    }
    socket.conn.once('close', abandon);
    this.abandons.set(socket.id, abandon);
  }

  /** A socket leaves: this process's subscription count and its presence row. */
  private forget(socketId: string, roomId: string): void {
    this.abandons.delete(socketId);
    this.release(roomId);
    this.presence.leave(socketId).catch((error: unknown) => {
      this.logger.error(`presence leave failed (the heartbeat removes it): ${String(error)}`);
    });
  }

  private connected(socket: Socket): void {
    const data = socket.data as RoomSocketData;
    const { roomId, code, name, session } = data;
    const abandon = this.abandons.get(socket.id);
    if (abandon) socket.conn.off('close', abandon);
    this.abandons.delete(socket.id);
    void socket.join(roomId);
    socket.emit('session', { session });

    socket.on('message', (payload: unknown, ack?: Ack) => {
      const content = (payload as { content?: unknown } | null)?.content;
      // Socket posts spend the same per-IP budget as HTTP posts (the handshake's address: the
      // page is same-origin, so behind a proxy this is the proxy unless it forwards sockets directly).
      const budget = this.limiters.byKind.post.take(ipBucketKey(socket.handshake.address || 'unknown'));
      if (!budget.admitted) {
        ack?.({
          error: 'Too many posts from this address; retry later',
          code: 'RATE_LIMITED',
          retry_after: budget.retryAfterSeconds,
        });
        return;
      }
      this.messages
        .post(code, { content, sender: name } as never, { key: `session:${session}`, session, admin: data.admin })
        .then(
          (message) => ack?.({ ok: true, message }),
          (error: unknown) => ack?.(failure(error)),
        );
    });
    socket.on('command', (payload: unknown, ack?: Ack) => {
      const command = (payload as { command?: unknown } | null)?.command;
      if (typeof command !== 'string') {
        ack?.({ error: 'command must be a string', code: 'VALIDATION_FAILED' });
        return;
      }
      this.commands
        .run(code, command, { adminToken: data.adminToken, caller: { session, name, admin: data.admin } })
        .then(
          (result) => ack?.(result),
          (error: unknown) => ack?.(failure(error)),
        );
    });
    socket.on('disconnect', () => this.forget(socket.id, roomId));
  }

  private subscribe(room: RoomRef): void {
    const existing = this.subscriptions.get(room.id);
    if (existing) {
      existing.sockets += 1;
      return;
    }
    this.subscriptions.set(room.id, {
      unsubscribe: this.events.subscribe(room, (event: RoomEvent) => this.deliver(room, event)),
      sockets: 1,
    });
  }

  /** One of this process's sockets left the room; the last one ends the subscription. */
  private release(roomId: string): void {
    const subscription = this.subscriptions.get(roomId);
    if (!subscription || --subscription.sockets > 0) return;
    subscription.unsubscribe();
    this.subscriptions.delete(roomId);
  }

  private deliver(room: RoomRef, event: RoomEvent): void {
    const sockets = this.namespace?.to(room.id);
    if (!sockets) return;
    if (event.type === 'removed') {
      this.removeSessions(room, event.payload.kind, new Set(event.payload.sessionHashes));
      return;
    }
    sockets.emit(event.type, event.payload);
    if (event.type === 'destroyed') {
      // Everyone is told first, then let go a moment later — after the answer to the `/destroy`
      // that ended it has reached its sender. A reconnect gets `room_not_found`.
      setTimeout(() => this.namespace?.in(room.id).disconnectSockets(true), DISCONNECT_GRACE_MS).unref();
    }
  }

  /** `/kick` and `/ban`, from any process: this process's sockets of those sessions hear why and go. */
  private removeSessions(room: RoomRef, kind: 'kick' | 'ban', sessionHashes: Set<string>): void {
    for (const socket of this.namespace?.sockets.values() ?? []) {
      const data = socket.data as RoomSocketData;
      // Never the admin's own sockets, even when someone took the admin's name.
      if (data.roomId === room.id && !data.admin && sessionHashes.has(data.sessionHash)) {
        this.letGo(socket, kind === 'ban' ? 'banned' : 'kicked', { code: room.code });
      }
    }
  }

  /**
   * Tells the socket why, and disconnects it after the moderator's answer has gone out — its
   * presence first, so whoever sees it go no longer finds it in `/who`.
   */
  private letGo(socket: Socket, reason: 'kicked' | 'banned', payload: { code: string }): void {
    socket.emit(reason, payload);
    setTimeout(() => {
      this.presence
        .leave(socket.id)
        .catch((error: unknown) =>
          this.logger.error(`presence leave failed (the heartbeat removes it): ${String(error)}`),
        )
        .finally(() => socket.disconnect(true));
    }, DISCONNECT_GRACE_MS).unref();
  }
}
