import { useEffect, useState } from 'react';

/** Where the team page is, from `location.hash` (API paths like `/channels/:id` are real routes). */
export type HashRoute =
  | { kind: 'home' }
  | { kind: 'conversation'; id: string }
  | { kind: 'admin'; section: string }
  /** A mailed or printed link: `#/auth/<purpose>?token=…[&workspace=…]`. */
  | { kind: 'link'; purpose: string; token: string; workspace?: string }
  /** The OAuth return: `#access_token=…&refresh_token=…`, or `#oauth_error=…`. */
  | { kind: 'oauth'; accessToken: string; refreshToken: string }
  | { kind: 'oauthError'; code: string };

export function parseHash(hash: string): HashRoute {
  const text = hash.replace(/^#/, '');
  if (text.startsWith('access_token=') || text.startsWith('oauth_error=')) {
    const fields = new URLSearchParams(text);
    const error = fields.get('oauth_error');
    if (error) return { kind: 'oauthError', code: error };
    return {
      kind: 'oauth',
      accessToken: fields.get('access_token') ?? '',
      refreshToken: fields.get('refresh_token') ?? '',
    };
  }
  const [path, query = ''] = text.split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeSafely);
  if (parts[0] === 'auth' && parts[1]) {
    const fields = new URLSearchParams(query);
    return {
      kind: 'link',
      purpose: parts[1],
      token: fields.get('token') ?? '',
      workspace: fields.get('workspace') ?? undefined,
    };
  }
  if (parts[0] === 'c' && parts[1]) return { kind: 'conversation', id: parts[1] };
  if (parts[0] === 'admin') return { kind: 'admin', section: parts[1] ?? 'channels' };
  return { kind: 'home' };
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export const conversationHref = (id: string): string => `#/c/${encodeURIComponent(id)}`;

/** Replaces the hash without a history entry (a link's token must not stay in the address bar or history). */
export function replaceHash(hash: string): void {
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useHashRoute(): HashRoute {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
