import { useCallback, useEffect, useState } from 'react';
import { ApiError, TeamApi } from './api';
import { HashRoute, parseHash, replaceHash, useHashRoute } from './hash-route';
import { LoginScreen } from './login-screen';
import { SetPasswordScreen } from './set-password';
import type { TokenPair, User, Workspace } from './types';
import { WorkspacePicker } from './workspace-picker';
import { WorkspaceView } from './workspace-view';
import './team.css';

type Phase =
  | { kind: 'starting' }
  | { kind: 'login'; notice?: string }
  | { kind: 'set-password'; purpose: string; token: string; workspace?: string }
  | { kind: 'pick'; workspaces: Workspace[]; current: string }
  | { kind: 'ready'; me: User; workspace: Workspace };

const OAUTH_ERRORS: Record<string, string> = {
  access_denied: 'Google sign-in was cancelled.',
  USER_NOT_FOUND: 'No account here matches that Google account; ask an admin to invite you.',
};

/** What the page shows first, from the address it was opened with (no side effects). */
function initialPhase(route: HashRoute, api: TeamApi): Phase {
  if (route.kind === 'oauthError') {
    return { kind: 'login', notice: OAUTH_ERRORS[route.code] ?? `Sign-in failed (${route.code}).` };
  }
  if (route.kind === 'link' && route.purpose !== 'magic-link') {
    return { kind: 'set-password', purpose: route.purpose, token: route.token, workspace: route.workspace };
  }
  if (route.kind === 'link' || route.kind === 'oauth') return { kind: 'starting' };
  return api.session.refresh ? { kind: 'starting' } : { kind: 'login' };
}

/**
 * The team page at `/`. Reads what the address brings (a mailed link, an OAuth return), then
 * either restores the session (a refresh token in storage) or shows the login screen.
 */
export function TeamApp() {
  const [api] = useState(() => new TeamApi());
  const route = useHashRoute();
  const [opened] = useState(() => parseHash(window.location.hash));
  const [phase, setPhase] = useState<Phase>(() => initialPhase(opened, api));

  const enter = useCallback(async () => {
    try {
      const { user, workspace } = await api.get<{ user: User; workspace: Workspace }>('/auth/me');
      setPhase({ kind: 'ready', me: user, workspace });
    } catch (error) {
      setPhase({
        kind: 'login',
        notice: error instanceof ApiError && error.code !== 'SESSION_ENDED' ? error.message : undefined,
      });
    }
  }, [api]);

  useEffect(
    () => api.onSessionEnded(() => setPhase({ kind: 'login', notice: 'Your session has ended; please log in again.' })),
    [api],
  );

  // The address the page was opened with, once: tokens leave the address bar at once.
  useEffect(() => {
    if (opened.kind === 'oauth' || opened.kind === 'oauthError' || opened.kind === 'link') replaceHash('');
    if (opened.kind === 'oauth') {
      api.begin({ accessToken: opened.accessToken, refreshToken: opened.refreshToken });
      // eslint-disable-next-line react-hooks/set-state-in-effect -- enter() sets state only once /auth/me answers
      void enter();
    } else if (opened.kind === 'link' && opened.purpose === 'magic-link') {
      api
        .public<TokenPair>(
          'POST',
          '/auth/verify',
          { workspace: opened.workspace },
          { Authorization: `Bearer ${opened.token}` },
        )
        .then((pair) => {
          api.begin(pair);
          return enter();
        })
        .catch((error: unknown) =>
          setPhase({
            kind: 'login',
            notice: error instanceof ApiError ? `${error.message}. Ask for a new link.` : undefined,
          }),
        );
    } else if (opened.kind !== 'link' && opened.kind !== 'oauthError' && api.session.refresh) {
      void enter();
    }
  }, [api, opened, enter]);

  // Right after a login: someone in several workspaces chooses where to go first.
  const loggedIn = useCallback(async () => {
    try {
      const [{ workspaces }, { user, workspace }] = await Promise.all([
        api.get<{ workspaces: Workspace[] }>('/workspaces'),
        api.get<{ user: User; workspace: Workspace }>('/auth/me'),
      ]);
      setPhase(
        workspaces.length > 1
          ? { kind: 'pick', workspaces, current: workspace.id }
          : { kind: 'ready', me: user, workspace },
      );
    } catch {
      await enter(); // it says what went wrong
    }
  }, [api, enter]);

  const logout = () => {
    void api.logout().finally(() => setPhase({ kind: 'login' }));
  };

  switch (phase.kind) {
    case 'starting':
      return <p className="team-hint team-starting">Loading…</p>;
    case 'login':
      return <LoginScreen api={api} notice={phase.notice} onLoggedIn={() => void loggedIn()} />;
    case 'pick':
      return (
        <WorkspacePicker
          api={api}
          workspaces={phase.workspaces}
          current={phase.current}
          onChosen={() => void enter()}
        />
      );
    case 'set-password':
      return <SetPasswordScreen api={api} {...phase} onDone={() => void enter()} />;
    case 'ready':
      return <WorkspaceView api={api} me={phase.me} workspace={phase.workspace} route={route} onLogout={logout} />;
  }
}
