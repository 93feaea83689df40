import { Injectable } from '@nestjs/common';

/** One connected socket as presence knows it. */
export interface RoomParticipant {
  socketId: string;
  /** The per-browser session id (see RoomsGateway): what mutes, bans and slowmode key on. */
  session: string;
  name: string;
  /** Tells this socket why and disconnects it (provided by the gateway). */
  disconnect: (reason: 'kicked' | 'banned') => void;
}

/**
 * Who is connected to each room in this process, by socket id, in the order they joined. An
 * injectable shared by the Socket.IO gateway (which joins and leaves) and the commands (`/who`,
 * `/kick`, `/ban`, `/mute`), so an HTTP command sees the same presence as the sockets.
 * In memory, per process (docs/decisions/0007 § Commands).
 */
@Injectable()
export class RoomPresence {
  private readonly rooms = new Map<string, Map<string, RoomParticipant>>();

  join(code: string, participant: RoomParticipant): void {
    let members = this.rooms.get(code);
    if (!members) this.rooms.set(code, (members = new Map<string, RoomParticipant>()));
    members.set(participant.socketId, participant);
  }

  /** True when the room has nobody left here. */
  leave(code: string, socketId: string): boolean {
    const members = this.rooms.get(code);
    members?.delete(socketId);
    if (members && members.size === 0) this.rooms.delete(code);
    return !this.rooms.has(code);
  }

  /** Names present, each once, in the order they first joined. */
  who(code: string): string[] {
    return [...new Set([...(this.rooms.get(code)?.values() ?? [])].map((p) => p.name))];
  }

  /** Every socket of the room whose name is `name` (case-insensitive, a leading `@` ignored). */
  find(code: string, name: string): RoomParticipant[] {
    const wanted = normaliseName(name);
    return [...(this.rooms.get(code)?.values() ?? [])].filter((p) => normaliseName(p.name) === wanted);
  }
}

/** How names are compared by moderation: without a leading `@`, case-folded, NFC. */
export const normaliseName = (name: string): string => name.trim().replace(/^@/, '').normalize('NFC').toLowerCase();
