import { FormEvent, useState } from 'react';
import { ApiError, TeamApi } from './api';
import type { TokenPair } from './types';

const TITLES: Record<string, string> = {
  invite: 'Welcome to Parley: choose a password',
  'password-reset': 'Choose a new password',
  'initial-admin': 'Set the administrator password',
};

/** The page a mailed invite, reset or first-boot link opens: "New password", then "Set password". */
export function SetPasswordScreen(props: {
  api: TeamApi;
  purpose: string;
  token: string;
  workspace?: string;
  onDone: () => void;
}) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    props.api
      .public<TokenPair>('POST', '/auth/setup-password', { token: props.token, password, workspace: props.workspace })
      .then((pair) => {
        props.api.begin(pair);
        props.onDone();
      })
      .catch((e: unknown) => {
        setError(e instanceof ApiError ? e.message : 'Could not reach the server');
        setBusy(false);
      });
  };

  return (
    <main className="team-login">
      <form className="team-login-card" onSubmit={submit} aria-labelledby="set-password-title">
        <h1 id="set-password-title">{TITLES[props.purpose] ?? 'Choose a password'}</h1>
        {error && (
          <p role="alert" className="team-error">
            {error}
          </p>
        )}
        <label>
          New password
          <input
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <p className="team-hint">At least 8 characters.</p>
        <div className="team-login-actions">
          <button type="submit" disabled={busy}>
            Set password
          </button>
        </div>
      </form>
    </main>
  );
}
