import { io, Socket } from 'socket.io-client';

/**
 * Real socket.io-client connections to the rooms namespace, closed together after each test:
 * `connect` resolves on `connect` (or rejects with the connect error, e.g. `room_not_found`),
 * `join` also waits for the server's `session` event, `next` for one event, `until` for a matching one.
 */
export class RoomSockets {
  private readonly open: Socket[] = [];

  constructor(private readonly baseUrl: () => string) {}

  connect(auth: Record<string, unknown>): Promise<Socket> {
    const socket = this.socket(auth);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (error) => reject(error));
    });
  }

  async join(auth: Record<string, unknown>): Promise<{ socket: Socket; session: string }> {
    const socket = this.socket(auth);
    const session = await new Promise<string>((resolve, reject) => {
      socket.once('session', (payload: { session: string }) => resolve(payload.session));
      socket.once('connect_error', (error) => reject(error));
    });
    return { socket, session };
  }

  next<T>(socket: Socket, event: string, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      socket.once(event, (payload: T) => {
        clearTimeout(timer);
        resolve(payload);
      });
    });
  }

  /**
   * The first `event` whose payload passes `wanted`: live events arrive through the event log, so
   * one announced just before (a socket's own join) may still be on its way.
   */
  until<T>(socket: Socket, event: string, wanted: (payload: T) => boolean, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = (payload: T) => {
        if (!wanted(payload)) return;
        clearTimeout(timer);
        socket.off(event, listener);
        resolve(payload);
      };
      const timer = setTimeout(() => {
        socket.off(event, listener);
        reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.on(event, listener);
    });
  }

  closeAll(): void {
    this.open.splice(0).forEach((s) => s.disconnect());
  }

  private socket(auth: Record<string, unknown>): Socket {
    const socket = io(`${this.baseUrl()}/rooms`, { auth, transports: ['websocket'], reconnection: false });
    this.open.push(socket);
    return socket;
  }
}
