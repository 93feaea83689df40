import { FormEvent, useState } from 'react';
import { createRoom } from './room-api';

/**
 * `/chat`: create a room (POST /rooms) and go to it. The one-time admin token travels in the
 * fragment (`#admin=`), which no request carries; the room page keeps it and clears the address bar.
 */
export function RoomsHome() {
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const room = await createRoom(name.trim());
      window.location.assign(`/chat/${encodeURIComponent(room.code)}#admin=${encodeURIComponent(room.admin_token)}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The room was not created');
      setBusy(false);
    }
  };

  const open = (e: FormEvent) => {
    e.preventDefault();
    const wanted = code.trim().toUpperCase();
    if (wanted !== '') window.location.assign(`/chat/${encodeURIComponent(wanted)}`);
  };

  return (
    <main className="home">
      <h1>Parley rooms</h1>
      <p>Ephemeral rooms: no accounts, live messages, gone after an hour of silence.</p>
      <form className="card" onSubmit={(e) => void create(e)}>
        <h2>New room</h2>
        <label htmlFor="home-room-name">Room name (optional)</label>
        <div className="join-row">
          <input id="home-room-name" value={name} maxLength={50} onChange={(e) => setName(e.target.value)} />
          <button type="submit" disabled={busy}>
            Create room
          </button>
        </div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      <form className="card" onSubmit={open}>
        <h2>Join a room</h2>
        <label htmlFor="home-room-code">Room code</label>
        <div className="join-row">
          <input
            id="home-room-code"
            value={code}
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
            maxLength={16}
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit">Open</button>
        </div>
      </form>
    </main>
  );
}
