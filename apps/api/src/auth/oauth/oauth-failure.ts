import { DomainError } from '@parley/common';

/** The `oauth_error` values the callback may put in the app's URL fragment (docs/api.md, OAuth). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_state'
  | 'access_denied'
  | 'provider_error'
  | 'email_not_verified'
  | 'invite_required'
  | 'workspace_not_found'
  | 'no_workspace'
  | 'rate_limited'
  | 'server_error';

/** A login that cannot go on; its code is what the browser is told. */
export class OAuthFailure extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OAuthFailure';
  }
}

/** The fragment code for any error a callback ended with; undefined marks one nobody expected (a bug). */
export function oauthErrorCode(error: unknown): OAuthErrorCode | undefined {
  if (error instanceof OAuthFailure) return error.code;
  if (error instanceof DomainError) {
    // The same rules as the other logins, told in the fragment instead of a JSON body.
    if (error.status === 429) return 'rate_limited';
    if (error.code === 'WORKSPACE_NOT_FOUND') return 'workspace_not_found';
    if (error.code === 'NO_WORKSPACE') return 'no_workspace';
  }
  return undefined;
}

/** Where the browser goes after the callback: the app, with everything in the fragment, never the query. */
export function appRedirect(appUrl: string, fields: Record<string, string | number>): string {
  const fragment = new URLSearchParams(
    Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  return `${appUrl}/#${fragment}`;
}
