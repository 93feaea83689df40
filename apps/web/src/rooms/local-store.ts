// What this browser remembers: the visitor's name (for every room) and, per room, the admin token
// of a room created here. localStorage may be unavailable (private modes, blocked storage): then
// nothing is remembered and everything else works.

const NAME_KEY = 'parley.rooms.name';
const adminKey = (code: string) => `parley.rooms.admin.${code.toUpperCase()}`;
const sessionKey = (code: string) => `parley.rooms.session.${code.toUpperCase()}`;

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Not remembered; nothing else depends on it.
  }
}

export const rememberedName = (): string => read(NAME_KEY) ?? '';
export const rememberName = (name: string): void => write(NAME_KEY, name);

/**
 * The admin token of a room created in this browser. It arrives once in the URL fragment
 * (`#admin=<token>`, never sent to any server, never in a Referer), is kept here for reloads, and
 * the fragment is removed from the address bar at once, so the link a visitor copies from it is a
 * plain invite.
 */
export function takeAdminToken(code: string): string | null {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = fragment.get('admin');
  if (token) {
    write(adminKey(code), token);
    fragment.delete('admin');
    const rest = fragment.toString();
    window.history.replaceState(window.history.state, '', window.location.pathname + (rest ? `#${rest}` : ''));
    return token;
  }
  return read(adminKey(code));
}

export const forgetAdminToken = (code: string): void => write(adminKey(code), null);

/** The session id the server issued for this room (the `session` event), presented again on reconnect and reload. */
export const rememberedSession = (code: string): string | null => read(sessionKey(code));
export const rememberSession = (code: string, session: string): void => write(sessionKey(code), session);
