/** Who is connected to each room in this process, by socket id, in the order they joined. */
export class RoomPresence {
  private readonly rooms = new Map<string, Map<string, string>>();

  join(code: string, socketId: string, name: string): void {
    let members = this.rooms.get(code);
    if (!members) this.rooms.set(code, (members = new Map<string, string>()));
    members.set(socketId, name);
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
    return [...new Set(this.rooms.get(code)?.values() ?? [])];
  }
}
