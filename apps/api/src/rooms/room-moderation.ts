import { Injectable } from '@nestjs/common';
import { ForbiddenError, TooManyRequestsError } from '@parley/common';
import { RoomEvents } from './room-events.service';
import { normaliseName } from './room-presence';

/** 403 `MUTED`: this session (or name) may not post until `until`. */
export class MutedError extends ForbiddenError {
  constructor(readonly retryAfterSeconds: number) {
    super(`You are muted in this room for ${retryAfterSeconds} more seconds`, 'MUTED');
  }
}

/** 429 `SLOWMODE`: one post per `seconds` per session (sockets) or per IP (HTTP). */
export class SlowmodeError extends TooManyRequestsError {
  constructor(
    readonly seconds: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`Slow mode is on: one post every ${seconds} seconds; retry in ${retryAfterSeconds} s`, 'SLOWMODE');
  }
}

/** Who is posting, as moderation sees it. */
export interface RoomPoster {
  /** The slowmode key: `session:<id>` for a socket, `ip:<bucket>` for HTTP. */
  key: string;
  session?: string;
  name?: string;
  /** The room's admin (a socket that presented the admin token): slowmode does not apply. */
  admin?: boolean;
}

interface RoomRules {
  bannedSessions: Set<string>;
  bannedNames: Set<string>;
  /** session or `name:<normalised>` → muted until (ms since epoch). */
  mutedUntil: Map<string, number>;
  slowmodeSeconds: number;
  lastPost: Map<string, number>;
}

/**
 * Bans, mutes and slow mode of ephemeral rooms, in memory per process, forgotten when the room
 * ends (its `destroyed` event, from `/destroy` or the sweeper). docs/decisions/0007 § Commands.
 */
@Injectable()
export class RoomModeration {
  private readonly rooms = new Map<string, RoomRules>();
  private readonly stops = new Map<string, () => void>();

  constructor(private readonly events: RoomEvents) {}

  ban(code: string, name: string, sessions: string[]): void {
    const rules = this.rules(code);
    rules.bannedNames.add(normaliseName(name));
    for (const session of sessions) rules.bannedSessions.add(session);
  }

  isBanned(code: string, session: string, name: string): boolean {
    const rules = this.rooms.get(code);
    return !!rules && (rules.bannedSessions.has(session) || rules.bannedNames.has(normaliseName(name)));
  }

  mute(code: string, name: string, sessions: string[], seconds: number, now = Date.now()): void {
    const rules = this.rules(code);
    const until = now + seconds * 1000;
    rules.mutedUntil.set(`name:${normaliseName(name)}`, until);
    for (const session of sessions) rules.mutedUntil.set(session, until);
  }

  /** 0 turns slow mode off. */
  slowmode(code: string, seconds: number): void {
    const rules = this.rules(code);
    rules.slowmodeSeconds = seconds;
    rules.lastPost.clear();
  }

  /**
   * Checks a post before it is written: 403 `MUTED`, 429 `SLOWMODE`; when admitted, the post is
   * counted for slow mode (a post refused later for another reason still counts).
   */
  admitPost(code: string, poster: RoomPoster, now = Date.now()): void {
    const rules = this.rooms.get(code);
    if (!rules) return;
    const until = Math.max(
      poster.session === undefined ? 0 : (rules.mutedUntil.get(poster.session) ?? 0),
      poster.name === undefined ? 0 : (rules.mutedUntil.get(`name:${normaliseName(poster.name)}`) ?? 0),
    );
    if (until > now) throw new MutedError(Math.ceil((until - now) / 1000));
    if (rules.slowmodeSeconds > 0 && !poster.admin) {
      const last = rules.lastPost.get(poster.key);
      const next = last === undefined ? 0 : last + rules.slowmodeSeconds * 1000;
      if (next > now) throw new SlowmodeError(rules.slowmodeSeconds, Math.ceil((next - now) / 1000));
      rules.lastPost.set(poster.key, now);
    }
  }

  private rules(code: string): RoomRules {
    let rules = this.rooms.get(code);
    if (!rules) {
      rules = {
        bannedSessions: new Set(),
        bannedNames: new Set(),
        mutedUntil: new Map(),
        slowmodeSeconds: 0,
        lastPost: new Map(),
      };
      this.rooms.set(code, rules);
      this.stops.set(
        code,
        this.events.subscribe(code, (event) => {
          if (event.type === 'destroyed') this.forget(code);
        }),
      );
    }
    return rules;
  }

  private forget(code: string): void {
    this.rooms.delete(code);
    const stop = this.stops.get(code);
    this.stops.delete(code);
    stop?.(); // publish iterates over a copy: safe from inside the handler
  }
}
