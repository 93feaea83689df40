/** The part of a socket.io-client socket that `tail` uses; tests hand in a fake. */
export interface LiveSocket {
  /** False once the client gave up: the server refused the connection (e.g. `room_not_found`). */
  readonly active: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  close(): unknown;
}

export interface LiveAuth {
  code: string;
  name: string;
}

export type SocketFactory = (base: string, auth: LiveAuth) => Promise<LiveSocket>;

/**
 * Connects to the rooms namespace with socket.io-client (loaded only here, so the other commands
 * start fast). A base with a path prefix keeps it: the namespace is `/rooms`, the engine path
 * `<prefix>/socket.io`.
 */
export const connectWithSocketIo: SocketFactory = async (base, auth) => {
  const { io } = await import('socket.io-client');
  const url = new URL(base);
  const prefix = url.pathname.replace(/\/+$/, '');
  return io(`${url.origin}/rooms`, { path: `${prefix}/socket.io`, auth: { ...auth }, reconnectionDelayMax: 5_000 });
};
