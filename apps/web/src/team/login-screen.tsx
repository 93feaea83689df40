import { FormEvent, useEffect, useState } from 'react';
import { ApiError, TeamApi } from './api';
import type { AuthConfig, TokenPair } from './types';

interface Props {
  api: TeamApi;
  onLoggedIn: () => void;
  /** Shown above the form: why the user is here (a session ended, an OAuth error, a used link). */
  notice?: string;
}

/**
 * "Log in" with whatever the server enables (`GET /auth/config`): an "Email" textbox always; a
 * "Password" where password login is on (in dev mode an empty password logs in by e-mail alone);
 * "Send magic link"; "Continue with Google" for each OAuth provider.
 */
export function LoginScreen({ api, onLoggedIn, notice }: Props) {
  const [config, setConfig] = useState<AuthConfig | undefined>();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>(
    notice ? { text: notice, error: true } : undefined,
  );

  useEffect(() => {
    api
      .public<AuthConfig>('GET', '/auth/config')
      .then(setConfig)
      .catch(() => setConfig({ modes: ['dev', 'password', 'magic-link'], registration: false, providers: [] }));
  }, [api]);

  const has = (mode: string) => config?.modes.includes(mode) ?? false;
  const canLogIn = has('password') || has('dev');

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await action();
    } catch (error) {
      setMessage({ text: error instanceof ApiError ? error.message : 'Could not reach the server', error: true });
    } finally {
      setBusy(false);
    }
  };

  const logIn = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const pair =
        password !== '' || !has('dev')
          ? await api.public<TokenPair>('POST', '/auth/password-login', { email, password })
          : await api.public<TokenPair>('POST', '/auth/dev-login', { email });
      api.begin(pair);
      onLoggedIn();
    });
  };

  const sendMagicLink = () =>
    void run(async () => {
      const answer = await api.public<{ message: string }>('POST', '/auth/login', { email });
      setMessage({ text: `${answer.message} Open it from your mail on this device.`, error: false });
    });

  return (
    <main className="team-login">
      <form className="team-login-card" onSubmit={logIn} aria-labelledby="login-title">
        <h1 id="login-title">Log in to Parley</h1>
        {message && (
          <p role={message.error ? 'alert' : 'status'} className={message.error ? 'team-error' : 'team-notice'}>
            {message.text}
          </p>
        )}
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        {has('password') && (
          <label>
            Password
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required={!has('dev')}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
        )}
        {has('dev') && has('password') && (
          <p className="team-hint">Dev mode: leave the password empty to log in by e-mail alone.</p>
        )}
        <div className="team-login-actions">
          {canLogIn && (
            <button type="submit" disabled={busy}>
              Log in
            </button>
          )}
          {has('magic-link') && (
            <button type="button" className="secondary" disabled={busy || email === ''} onClick={sendMagicLink}>
              Send magic link
            </button>
          )}
        </div>
        {config?.providers.map((provider) => (
          <a key={provider.id} className="team-provider" href={provider.loginUrl}>
            Continue with {provider.name}
          </a>
        ))}
      </form>
    </main>
  );
}
