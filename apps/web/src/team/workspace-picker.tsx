import { useState } from 'react';
import { ApiError, TeamApi } from './api';
import type { TokenPair, Workspace } from './types';

/**
 * After logging in, a user who belongs to several workspaces chooses one ("Choose a workspace");
 * the session moves there with `POST /auth/switch-workspace` (a new session in that workspace).
 */
export function WorkspacePicker(props: {
  api: TeamApi;
  workspaces: Workspace[];
  current: string;
  onChosen: () => void;
}) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const choose = (workspace: Workspace) => {
    if (workspace.id === props.current) {
      props.onChosen();
      return;
    }
    setBusy(true);
    props.api
      .post<TokenPair>('/auth/switch-workspace', { workspace: workspace.slug })
      .then((pair) => {
        props.api.begin(pair);
        props.onChosen();
      })
      .catch((e: unknown) => {
        setError(e instanceof ApiError ? e.message : 'Could not reach the server');
        setBusy(false);
      });
  };

  return (
    <main className="team-login">
      <section className="team-login-card" aria-labelledby="picker-title">
        <h1 id="picker-title">Choose a workspace</h1>
        {error && (
          <p role="alert" className="team-error">
            {error}
          </p>
        )}
        <ul className="team-picker">
          {props.workspaces.map((workspace) => (
            <li key={workspace.id}>
              <button type="button" className="secondary" disabled={busy} onClick={() => choose(workspace)}>
                {workspace.name}
                <span className="team-hint"> {workspace.role === 'admin' ? 'admin' : 'member'}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
