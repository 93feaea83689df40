import { useCallback, useEffect, useState } from 'react';
import { Composer } from './composer';
import { GoneScreen } from './gone-screen';
import { InviteLink } from './invite-link';
import { JoinForm } from './join-form';
import { rememberName, takeAdminToken } from './local-store';
import { MessageLog } from './message-log';
import { fetchRoom, RoomGoneError, uploadFile } from './room-api';
import { RoomInfo } from './room-types';
import { ConnectionState, useRoom } from './use-room';

type Loaded =
  { phase: 'loading' } | { phase: 'gone' } | { phase: 'error'; message: string } | { phase: 'ready'; room: RoomInfo };

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Connection lost, reconnecting…',
  disconnected: 'Disconnected',
};

const titleOf = (name: string | null | undefined, code: string) => name || `Room ${code}`;

function RoomView(props: { room: RoomInfo; name: string; adminToken: string | null; onNameRefused: () => void }) {
  const { room, name, adminToken, onNameRefused } = props;
  const { state, send, command, notify, received, reconnect } = useRoom(room.code, name, adminToken, room.name);
  const title = titleOf(state.roomName, room.code);

  useEffect(() => {
    if (state.nameRefused) onNameRefused();
  }, [state.nameRefused, onNameRefused]);
  useEffect(() => {
    document.title = `${title} · Parley`;
  }, [title]);

  const upload = useCallback(
    async (file: File) => {
      try {
        received(await uploadFile(room.code, file, name));
      } catch (error) {
        notify({
          tone: 'error',
          title: `Upload of ${file.name}`,
          lines: [error instanceof Error ? error.message : 'failed'],
        });
      }
    },
    [room.code, name, received, notify],
  );

  if (state.gone) return <GoneScreen code={room.code} />;
  return (
    <div className="room">
      <header className="room-header">
        <div className="room-title">
          <h1>{title}</h1>
          <p className="room-meta">
            Code <code>{room.code}</code> · you are {name}
            {adminToken ? ' · room admin (you can /destroy it)' : ''}
          </p>
        </div>
        <div className={`connection connection-${state.connection}`} role="status" aria-label="Connection">
          <span className="dot" aria-hidden="true" />
          {CONNECTION_TEXT[state.connection]}
          {state.connection === 'disconnected' ? (
            <button type="button" className="link-button" onClick={reconnect}>
              Reconnect
            </button>
          ) : null}
        </div>
      </header>
      <main className="room-main">
        <MessageLog label={state.roomName || 'Messages'} messages={state.messages} notices={state.notices} />
        <Composer connected={state.connection === 'connected'} send={send} command={command} upload={upload} />
      </main>
      <aside className="room-side" aria-label="About this room">
        <section className="presence" aria-labelledby="presence-heading">
          <h2 id="presence-heading">Here now ({state.who.length})</h2>
          <ul aria-label="People here">
            {state.who.map((who) => (
              <li key={who}>
                {who}
                {who === name ? <span className="you"> (you)</span> : null}
              </li>
            ))}
          </ul>
        </section>
        <InviteLink code={room.code} />
      </aside>
    </div>
  );
}

/** `/chat/:code`: look the room up (404: gone), ask for a name, then the live room. */
export function RoomPage({ code }: { code: string }) {
  const [adminToken] = useState(() => takeAdminToken(code));
  const [loaded, setLoaded] = useState<Loaded>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [name, setName] = useState<string | null>(null);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    let current = true;
    fetchRoom(code).then(
      (room) => current && setLoaded({ phase: 'ready', room }),
      (error: unknown) => {
        if (!current) return;
        if (error instanceof RoomGoneError) setLoaded({ phase: 'gone' });
        else
          setLoaded({ phase: 'error', message: error instanceof Error ? error.message : 'The server did not answer' });
      },
    );
    return () => {
      current = false;
    };
  }, [code, attempt]);

  const onNameRefused = useCallback(() => {
    setRefused(true);
    setName(null);
  }, []);

  switch (loaded.phase) {
    case 'loading':
      return (
        <main className="loading">
          <p role="status">Opening room {code}…</p>
        </main>
      );
    case 'gone':
      return <GoneScreen code={code.toUpperCase()} />;
    case 'error':
      return (
        <main className="loading">
          <h1>Could not open room {code}</h1>
          <p role="alert">{loaded.message}</p>
          <button
            type="button"
            onClick={() => {
              setLoaded({ phase: 'loading' });
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </main>
      );
    case 'ready':
      if (name === null) {
        return (
          <JoinForm
            title={titleOf(loaded.room.name, loaded.room.code)}
            code={loaded.room.code}
            refused={refused}
            onJoin={(chosen) => {
              rememberName(chosen);
              setRefused(false);
              setName(chosen);
            }}
          />
        );
      }
      return <RoomView room={loaded.room} name={name} adminToken={adminToken} onNameRefused={onNameRefused} />;
  }
}
