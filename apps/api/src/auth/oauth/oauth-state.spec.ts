import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { cookieValues, OAUTH_STATE_TTL_MS, OAuthStateCodec, OAuthStateStore } from './oauth-state';

const SECRET = 'a-signing-secret-of-at-least-32-characters';
const digest = (v: string) => createHash('sha256').update(v).digest('base64url');

describe('OAuthStateCodec', () => {
  const codec = new OAuthStateCodec(SECRET);
  const payload = { p: 'google', h: digest('verifier'), e: Date.now() + 60_000, w: 'team' };

  it('reads back what it signed, until it expires', () => {
    const state = codec.encode(payload);
    expect(codec.decode(state)).toEqual(payload);
    expect(codec.decode(state, payload.e)).toBeUndefined();
  });

  it('refuses a state altered, signed with another secret, or malformed', () => {
    const state = codec.encode(payload);
    const [body, mac] = state.split('.') as [string, string];
    const altered = Buffer.from(JSON.stringify({ ...payload, w: 'other' })).toString('base64url');
    expect(codec.decode(`${altered}.${mac}`)).toBeUndefined();
    expect(codec.decode(`${body}.${mac.slice(1)}A`)).toBeUndefined();
    expect(new OAuthStateCodec(`${SECRET}-other`).decode(state)).toBeUndefined();
    for (const bad of [undefined, ['a', 'b'], '', 'nodot', `${state}.extra`, `${'x'.repeat(2000)}.y`]) {
      expect(codec.decode(bad)).toBeUndefined();
    }
  });

  it('refuses a correctly signed body that is not a state', () => {
    const signedJunk = new OAuthStateCodec(SECRET).encode({ p: 1 } as never);
    expect(codec.decode(signedJunk)).toBeUndefined();
  });
});

describe('cookieValues', () => {
  it('finds every value of one cookie', () => {
    expect(cookieValues('a=1; s=x; b=2;s=y', 's')).toEqual(['x', 'y']);
    expect(cookieValues('as=1; s', 's')).toEqual([]);
    expect(cookieValues(undefined, 's')).toEqual([]);
  });
});

describe('OAuthStateStore', () => {
  const cookie = { name: 'st', options: { httpOnly: true, sameSite: 'lax' as const, path: '/cb' } };
  const store = new OAuthStateStore(new OAuthStateCodec(SECRET), 'google', cookie);

  function started(workspace?: string) {
    const set = jest.fn();
    const req = { res: { cookie: set } as unknown as Response } as Request;
    let state = '';
    store.store(req, 'the-verifier', workspace ? { workspace } : undefined, {}, (err, s) => {
      expect(err).toBeNull();
      state = s!;
    });
    return { state, set };
  }

  function verified(state: unknown, cookieHeader: string | undefined) {
    const req = { headers: { cookie: cookieHeader } } as Request;
    let result: unknown[] = [];
    store.verify(req, state, {}, (...args) => (result = args));
    return result;
  }

  it('keeps the arities passport-oauth2 dispatches on (store with PKCE: 5, verify with meta: 4)', () => {
    // Only the arity is read here; the methods are not called unbound.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    expect(OAuthStateStore.prototype.store).toHaveLength(5);
    // eslint-disable-next-line @typescript-eslint/unbound-method
    expect(OAuthStateStore.prototype.verify).toHaveLength(4);
  });

  it('sets the verifier as a short-lived cookie and returns the verifier to the browser that has it', () => {
    const { state, set } = started('team');
    expect(set).toHaveBeenCalledWith('st', 'the-verifier', { ...cookie.options, maxAge: OAUTH_STATE_TTL_MS });
    expect(state).not.toContain('the-verifier');
    expect(verified(state, 'other=1; st=the-verifier')).toEqual([null, 'the-verifier', { workspace: 'team' }]);
    expect(verified(started().state, 'st=the-verifier')).toEqual([null, 'the-verifier', {}]);
  });

  it('fails a state without its cookie, with another cookie, or issued for another provider', () => {
    const { state } = started();
    expect(verified(state, undefined)[1]).toBe(false);
    expect(verified(state, 'st=another-verifier')[1]).toBe(false);
    const github = new OAuthStateStore(new OAuthStateCodec(SECRET), 'github', cookie);
    const req = { headers: { cookie: 'st=the-verifier' } } as Request;
    github.verify(req, state, {}, (err, ok) => expect([err, ok]).toEqual([null, false]));
  });
});
