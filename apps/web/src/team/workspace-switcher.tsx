import { useEffect, useState } from 'react';
import { switchWorkspace, WORKSPACES_CHANGED } from './admin/settings-admin';
import { TeamApi, whileWanted } from './api';
import type { Workspace } from './types';

/**
 * The top bar's select "Workspace", for every member in several workspaces (hidden otherwise):
 * choosing one switches the tab there (a new session, then the page starts again).
 */
export function WorkspaceSwitcher(props: { api: TeamApi; workspace: Workspace; name: string }) {
  const { api } = props;
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [switching, setSwitching] = useState(false);
  const [error, setError] = useState<string | undefined>();

  // Read again when this tab creates a workspace; unanswered, the switcher stays as it was.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const reread = () => setVersion((v) => v + 1);
    window.addEventListener(WORKSPACES_CHANGED, reread);
    return () => window.removeEventListener(WORKSPACES_CHANGED, reread);
  }, []);
  useEffect(
    () => whileWanted(api.get<{ workspaces: Workspace[] }>('/workspaces'), (a) => setWorkspaces(a.workspaces)),
    [api, version],
  );

  if (workspaces.length < 2) return null;
  const choose = (slug: string) => {
    if (slug === props.workspace.slug) return;
    setSwitching(true);
    setError(undefined);
    switchWorkspace(api, slug).catch((e: unknown) => {
      setSwitching(false);
      setError(e instanceof Error ? e.message : 'Could not switch');
    });
  };
  return (
    <span className="team-switcher">
      <label>
        <span className="visually-hidden">Workspace</span>
        <select value={props.workspace.slug} disabled={switching} onChange={(e) => choose(e.target.value)}>
          {workspaces.map((w) => (
            <option key={w.id} value={w.slug}>
              {w.id === props.workspace.id ? props.name : w.name}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <span role="alert" className="team-error">
          {error}
        </span>
      )}
    </span>
  );
}
