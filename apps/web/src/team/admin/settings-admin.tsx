import { FormEvent, useEffect, useState } from 'react';
import { TeamApi, whileWanted } from '../api';
import type { TokenPair, Workspace } from '../types';
import { useFeedback } from './feedback';

/** A window event: this tab created a workspace, so the top bar's switcher reads the list again. */
export const WORKSPACES_CHANGED = 'parley:workspaces-changed';

/**
 * Switches the tab to `slug`: a new session there (the old one is logged out), saved like a login,
 * then the page starts again from it.
 */
export async function switchWorkspace(api: TeamApi, slug: string): Promise<void> {
  const previous = api.session.refresh;
  const pair = await api.post<TokenPair>('/auth/switch-workspace', { workspace: slug });
  api.begin(pair);
  if (previous) await api.public('POST', '/auth/logout', { refreshToken: previous }).catch(() => undefined);
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  window.location.reload();
}

/** The workspace's name (`/server/settings`), and the workspaces to switch to or create. */
export function SettingsAdmin(props: { api: TeamApi; workspace: Workspace }) {
  const { api, workspace } = props;
  const naming = useFeedback();
  const spaces = useFeedback();
  const { fail: failNaming } = naming;
  const { fail: failSpaces } = spaces;
  const [name, setName] = useState<string | undefined>();
  const [workspaces, setWorkspaces] = useState<Workspace[] | undefined>();
  const [version, setVersion] = useState(0);
  const [newName, setNewName] = useState('');

  useEffect(
    () => whileWanted(api.get<{ name: string }>('/server/settings'), (s) => setName(s.name), failNaming),
    [api, failNaming],
  );
  useEffect(
    () =>
      whileWanted(api.get<{ workspaces: Workspace[] }>('/workspaces'), (a) => setWorkspaces(a.workspaces), failSpaces),
    [api, failSpaces, version],
  );

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = (name ?? '').trim();
    if (!wanted) return;
    await naming.run(async () => {
      const settings = await api.put<{ name: string }>('/server/settings', { name: wanted });
      setName(settings.name);
      return `Saved: the workspace is now called “${settings.name}”.`;
    });
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = newName.trim();
    if (!wanted) return;
    const ok = await spaces.run(async () => {
      const answer = await api.post<{ workspace: Workspace }>('/workspaces', { name: wanted });
      setVersion((v) => v + 1);
      window.dispatchEvent(new Event(WORKSPACES_CHANGED)); // the top bar's switcher reads them again
      return `Created “${answer.workspace.name}”; you are its admin. Switch to it below.`;
    });
    if (ok) setNewName('');
  };

  const switchTo = (target: Workspace) => void spaces.run(() => switchWorkspace(api, target.slug));

  return (
    <>
      <form className="admin-form" onSubmit={(e) => void save(e)}>
        <label>
          Workspace name
          <input
            value={name ?? ''}
            disabled={name === undefined}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            required
          />
        </label>
        <button type="submit" disabled={naming.busy || name === undefined}>
          Save name
        </button>
      </form>
      {naming.feedback}

      <h4 id="admin-workspaces-title">Your workspaces</h4>
      {workspaces === undefined ? (
        <p className="team-hint">Loading workspaces…</p>
      ) : (
        <ul className="admin-list" aria-labelledby="admin-workspaces-title">
          {workspaces.map((w) => (
            <li key={w.id}>
              <span className="admin-item-name">
                <strong>{w.id === workspace.id ? (name ?? w.name) : w.name}</strong>{' '}
                <span className="team-hint">
                  {w.slug} · {w.role}
                </span>
              </span>
              <span className="admin-actions">
                {w.id === workspace.id ? (
                  <span className="team-hint" aria-current="true">
                    Current
                  </span>
                ) : (
                  <button type="button" className="secondary" disabled={spaces.busy} onClick={() => switchTo(w)}>
                    Switch to {w.name}
                  </button>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form className="admin-form" onSubmit={(e) => void create(e)}>
        <label>
          New workspace name
          <input value={newName} onChange={(e) => setNewName(e.target.value)} maxLength={100} required />
        </label>
        <button type="submit" disabled={spaces.busy}>
          Create workspace
        </button>
      </form>
      {spaces.feedback}
    </>
  );
}
