import { FormEvent, useState } from 'react';
import { rememberedName } from './local-store';

// What the socket accepts (rooms.gateway.ts): 1 to 50 characters after trimming.
const MAX_NAME = 50;

/** The textbox "Your name" and "Join": the name is remembered in this browser for the next room. */
export function JoinForm({
  title,
  code,
  refused,
  onJoin,
}: {
  title: string;
  code: string;
  refused: boolean;
  onJoin: (name: string) => void;
}) {
  const [name, setName] = useState(rememberedName);
  const [error, setError] = useState(refused ? 'The room did not accept that name: try another.' : '');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') setError('Enter a name others will see.');
    else if ([...trimmed].length > MAX_NAME) setError(`At most ${MAX_NAME} characters.`);
    else onJoin(trimmed);
  };

  return (
    <main className="join">
      <h1>{title}</h1>
      <p>
        Room <code>{code}</code>. No account needed: pick a name others will see. The room vanishes after an hour of
        silence.
      </p>
      <form onSubmit={onSubmit} noValidate>
        <label htmlFor="join-name">Your name</label>
        <div className="join-row">
          <input
            id="join-name"
            value={name}
            autoComplete="nickname"
            maxLength={MAX_NAME}
            autoFocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'join-error' : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit">Join</button>
        </div>
        {error ? (
          <p id="join-error" className="form-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}
