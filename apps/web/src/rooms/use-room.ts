import { useCallback, useEffect, useReducer, useRef } from 'react';
import { io, Socket } from 'socket.io-client';
import { CommandNotice, describeCommandResult } from './command-result';
import { rememberedSession, rememberSession } from './local-store';
import { fetchMessages, RoomGoneError } from './room-api';
import { CommandResult, isApiError, RoomMessage } from './room-types';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** A line only this visitor sees: a command's answer or an error, placed after the newest message. */
export interface Notice extends CommandNotice {
  key: number;
  afterId: number;
  tone: 'info' | 'error';
}

export interface RoomState {
  connection: ConnectionState;
  /** Oldest first, one per id. */
  messages: RoomMessage[];
  notices: Notice[];
  who: string[];
  /** Undefined until the server says; null when the room has no name. */
  roomName: string | null | undefined;
  gone: boolean;
  /** The server refused the name (`invalid_name`). */
  nameRefused: boolean;
}

type Action =
  | { type: 'connection'; state: ConnectionState }
  | { type: 'messages'; messages: RoomMessage[] }
  | { type: 'notice'; notice: Omit<Notice, 'key' | 'afterId'> }
  | { type: 'presence'; who: string[] }
  | { type: 'renamed'; name: string | null }
  | { type: 'gone' }
  | { type: 'nameRefused' };

// The log keeps the newest messages only: the server serves 100 at a time, a long visit adds more.
const MAX_MESSAGES = 500;
const MAX_NOTICES = 50;
const ACK_TIMEOUT_MS = 10_000;

const initialState = (roomName: string | null | undefined): RoomState => ({
  connection: 'connecting',
  messages: [],
  notices: [],
  who: [],
  roomName,
  gone: false,
  nameRefused: false,
});

function merge(current: RoomMessage[], incoming: RoomMessage[]): RoomMessage[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    if (!byId.has(m.id)) {
      byId.set(m.id, m);
      changed = true;
    }
  }
  if (!changed) return current;
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-MAX_MESSAGES);
}

let noticeKeys = 0;

function reduce(state: RoomState, action: Action): RoomState {
  switch (action.type) {
    case 'connection':
      return state.gone ? state : { ...state, connection: action.state };
    case 'messages':
      return { ...state, messages: merge(state.messages, action.messages) };
    case 'notice': {
      const afterId = state.messages.at(-1)?.id ?? 0;
      const notice: Notice = { ...action.notice, key: ++noticeKeys, afterId };
      return { ...state, notices: [...state.notices, notice].slice(-MAX_NOTICES) };
    }
    case 'presence':
      return { ...state, who: action.who };
    case 'renamed':
      return { ...state, roomName: action.name };
    case 'gone':
      return { ...state, gone: true, connection: 'disconnected' };
    case 'nameRefused':
      return { ...state, nameRefused: true, connection: 'disconnected' };
  }
}

const errorText = (error: unknown): string =>
  isApiError(error) ? error.error : error instanceof Error ? error.message : 'Something went wrong';

export interface RoomConnection {
  state: RoomState;
  /** Posts a message; rejects with the server's reason. */
  send: (content: string) => Promise<void>;
  /** Runs a slash command; its answer (or error) appears as a notice. */
  command: (line: string) => Promise<void>;
  /** Adds a notice of the page's own (a failed upload…). */
  notify: (notice: Omit<Notice, 'key' | 'afterId'>) => void;
  /** Adds a message the page received another way (an upload's answer). */
  received: (message: RoomMessage) => void;
  reconnect: () => void;
}

/**
 * One visit to a room over Socket.IO (`/rooms`, handshake `{code, name, adminToken?}`): history
 * is fetched on every (re)connect and merged by id with what arrives live, so a drop loses
 * nothing the server still has. `room_not_found` on connect or `destroyed` ends the visit for good.
 */
export function useRoom(
  code: string,
  name: string,
  adminToken: string | null,
  roomName: string | null | undefined,
): RoomConnection {
  const [state, dispatch] = useReducer(reduce, roomName, initialState);
  const socketRef = useRef<Socket | null>(null);

  useEffect(() => {
    const socket = io('/rooms', {
      // A function, so each reconnect presents the session id the server issued (see `session`).
      auth: (cb) => {
        const session = rememberedSession(code);
        cb({ code, name, ...(adminToken ? { adminToken } : {}), ...(session ? { session } : {}) });
      },
      reconnectionDelayMax: 10_000,
    });
    socketRef.current = socket;
    let gone = false;
    const end = () => {
      gone = true;
      dispatch({ type: 'gone' });
      socket.close();
    };

    socket.on('connect', () => {
      dispatch({ type: 'connection', state: 'connected' });
      fetchMessages(code).then(
        (messages) => dispatch({ type: 'messages', messages }),
        (error: unknown) => {
          if (error instanceof RoomGoneError) end();
          else dispatch({ type: 'notice', notice: { tone: 'error', title: 'History', lines: [errorText(error)] } });
        },
      );
    });
    socket.on('session', (payload: { session?: unknown }) => {
      if (typeof payload?.session === 'string') rememberSession(code, payload.session);
    });
    const removed = (title: string, line: string) => () =>
      dispatch({ type: 'notice', notice: { tone: 'error', title, lines: [line] } });
    socket.on('kicked', removed('Removed', 'A moderator removed you from the room. Reload to rejoin.'));
    socket.on('banned', removed('Banned', 'A moderator banned you from this room.'));
    socket.on('connect_error', (error: Error) => {
      if (error.message === 'room_not_found') end();
      else if (error.message === 'banned') {
        removed('Banned', 'You are banned from this room.')();
        // Closed before it connected: no `disconnect` event follows, so say it here.
        dispatch({ type: 'connection', state: 'disconnected' });
        socket.close();
      } else if (error.message === 'invalid_name') {
        dispatch({ type: 'nameRefused' });
        socket.close();
      } else dispatch({ type: 'connection', state: socket.active ? 'reconnecting' : 'disconnected' });
    });
    socket.on('disconnect', () => {
      if (!gone) dispatch({ type: 'connection', state: socket.active ? 'reconnecting' : 'disconnected' });
    });
    socket.on('message', (message: RoomMessage) => dispatch({ type: 'messages', messages: [message] }));
    socket.on('presence', (payload: { who?: unknown }) => {
      if (Array.isArray(payload?.who)) dispatch({ type: 'presence', who: payload.who.map(String) });
    });
    socket.on('room_updated', (payload: { name?: unknown }) => {
      dispatch({
        type: 'renamed',
        name: typeof payload?.name === 'string' && payload.name !== '' ? payload.name : null,
      });
    });
    socket.on('destroyed', end);

    return () => {
      socketRef.current = null;
      socket.close();
    };
  }, [code, name, adminToken]);

  const ask = useCallback(async (event: 'message' | 'command', payload: object): Promise<unknown> => {
    const socket = socketRef.current;
    if (!socket?.connected) throw new Error('Not connected; wait for the connection to come back');
    const answer: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
    if (isApiError(answer)) throw new Error(answer.error);
    return answer;
  }, []);

  const send = useCallback(
    async (content: string) => {
      const answer = (await ask('message', { content })) as { message?: RoomMessage };
      if (answer.message) dispatch({ type: 'messages', messages: [answer.message] });
    },
    [ask],
  );

  const command = useCallback(
    async (line: string) => {
      try {
        const result = (await ask('command', { command: line })) as CommandResult;
        dispatch({ type: 'notice', notice: { tone: 'info', ...describeCommandResult(result) } });
      } catch (error) {
        dispatch({
          type: 'notice',
          notice: { tone: 'error', title: line.split(/\s/, 1)[0], lines: [errorText(error)] },
        });
      }
    },
    [ask],
  );

  const notify = useCallback((notice: Omit<Notice, 'key' | 'afterId'>) => dispatch({ type: 'notice', notice }), []);
  const received = useCallback((message: RoomMessage) => dispatch({ type: 'messages', messages: [message] }), []);
  const reconnect = useCallback(() => {
    dispatch({ type: 'connection', state: 'connecting' });
    socketRef.current?.connect();
  }, []);

  return { state, send, command, notify, received, reconnect };
}
