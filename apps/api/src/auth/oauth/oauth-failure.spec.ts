import { ForbiddenError, NotFoundError, TooManyRequestsError } from '@parley/common';
import { appRedirect, OAuthFailure, oauthErrorCode } from './oauth-failure';

describe('appRedirect', () => {
  it('puts every field in the fragment and none in the query', () => {
    const url = new URL(appRedirect('https://chat.example.com', { access_token: 'a.b-c', expires_in: 900 }));
    expect(url.search).toBe('');
    expect(url.pathname).toBe('/');
    expect(Object.fromEntries(new URLSearchParams(url.hash.slice(1)))).toEqual({
      access_token: 'a.b-c',
      expires_in: '900',
    });
  });
});

describe('oauthErrorCode', () => {
  it('tells the browser the reason of a known refusal, and nothing for a bug', () => {
    expect(oauthErrorCode(new OAuthFailure('invite_required', 'x'))).toBe('invite_required');
    expect(oauthErrorCode(new TooManyRequestsError('slow down'))).toBe('rate_limited');
    expect(oauthErrorCode(new NotFoundError('Workspace', 'WORKSPACE_NOT_FOUND'))).toBe('workspace_not_found');
    expect(oauthErrorCode(new ForbiddenError('none', 'NO_WORKSPACE'))).toBe('no_workspace');
    expect(oauthErrorCode(new NotFoundError('Thing'))).toBeUndefined();
    expect(oauthErrorCode(new Error('bug'))).toBeUndefined();
  });
});
