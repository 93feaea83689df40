/**
 * What each route does, in one place. The OpenAPI document takes paths, parameters and bodies from
 * the controllers and DTOs, and summaries from here; test/openapi.e2e-spec.ts fails for a route
 * without an entry, so a new route cannot ship undocumented. Keys are `METHOD /path/:param`.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** Non-200 answers worth knowing, status → meaning. Every error body is `{error, code}`. */
  errors?: Record<number, string>;
}

const AUTH = { 401: 'missing, invalid or expired access token' };
const ADMIN = { ...AUTH, 403: 'not an admin of this workspace' };
const BODY = { 400: 'invalid body' };
const LOGIN = { ...BODY, 404: 'login mode disabled', 429: 'rate limited (Retry-After)' };
const CONTENT = { ...AUTH, ...BODY, 413: 'content longer than 16,000 characters' };
const IMAGE_UPLOAD = {
  ...AUTH,
  ...BODY,
  404: 'not found',
  413: 'image above 10 MB',
  415: 'not JPEG, PNG, WebP or SVG',
};

const ROOM_GONE_404 = 'no such room, or it expired or was destroyed';
const ROOM_RATE = 'rate limited per client IP (X-Rate-Limit-* headers, Retry-After)';
const ADMIN_TOKEN = 'missing or wrong X-Admin-Token';

export const ROUTE_DOCS: Record<string, RouteDoc> = {
  // health
  'GET /health': { summary: 'Liveness: plain `OK`' },
  'GET /health/ready': { summary: 'Readiness: the database answers', errors: { 503: 'database unreachable' } },

  // auth
  'GET /auth/config': {
    summary: 'What a login screen should offer: enabled login modes, open sign-up, OAuth providers, server name',
    description:
      '`{modes, registration, providers, serverName?}`: `modes` are the enabled `AUTH_MODES` in the order ' +
      '`dev`, `password`, `magic-link`, `oauth`; `registration` is true when `POST /auth/register` is open ' +
      '(`password` mode and `INVITE_REQUIRED=false`); `providers` as `GET /auth/oauth/providers` lists them; ' +
      "`serverName` is the default workspace's settings name.",
  },
  'POST /auth/dev-login': { summary: 'Dev mode: log in by e-mail alone (loopback only)', errors: LOGIN },
  'POST /auth/login': {
    summary: 'Request a magic link by e-mail',
    description: 'Always answers the same, whether or not the e-mail has an account.',
    errors: LOGIN,
  },
  'POST /auth/verify': {
    summary: 'Exchange a magic-link token (Bearer) for a session',
    errors: { ...LOGIN, 401: 'invalid, used or expired token' },
  },
  'POST /auth/password-login': {
    summary: 'Log in with e-mail and password',
    errors: { ...LOGIN, 401: 'invalid credentials' },
  },
  'POST /auth/request-password-reset': {
    summary: 'Mail a password-reset link',
    description: 'Always answers the same, whether or not the e-mail has an account.',
    errors: LOGIN,
  },
  'POST /auth/setup-password': {
    summary: 'Set a password from an invite or reset link, and log in',
    errors: { ...LOGIN, 400: 'invalid token or password shorter than 8 characters' },
  },
  'POST /auth/register': {
    summary: 'Self-register (only when invites are not required)',
    errors: { ...LOGIN, 400: 'e-mail taken or password too short', 403: 'registration requires an invite' },
  },
  'GET /auth/oauth/providers': { summary: 'OAuth providers configured on this server' },
  'GET /auth/oauth/:provider': {
    summary: 'Start an OAuth login (302 to the provider, with a CSRF state)',
    errors: { 404: 'unknown provider or OAuth disabled', 429: 'rate limited' },
  },
  'GET /auth/oauth/:provider/callback': {
    summary: 'OAuth callback: 302 to APP_URL with tokens (or `oauth_error`) in the URL fragment',
  },
  'POST /auth/refresh': {
    summary: 'Rotate a refresh token for a new token pair',
    errors: { ...BODY, 401: 'invalid or reused refresh token' },
  },
  'POST /auth/logout': {
    summary: 'End the session of a refresh token',
    errors: { ...BODY, 401: 'invalid refresh token' },
  },
  'GET /auth/me': { summary: 'The caller and their current workspace', errors: AUTH },
  'GET /auth/sessions': { summary: "The caller's active sessions", errors: AUTH },
  'DELETE /auth/sessions': {
    summary: 'Revoke listed sessions, or all but the current one',
    errors: { ...AUTH, ...BODY },
  },
  'POST /auth/switch-workspace': {
    summary: 'Tokens for another workspace the caller belongs to',
    errors: { ...AUTH, ...BODY, 404: 'not a member of that workspace' },
  },

  // workspaces, users, settings
  'GET /workspaces': { summary: "The caller's workspaces", errors: AUTH },
  'POST /workspaces': {
    summary: 'Create a workspace (the caller becomes its admin)',
    errors: { ...AUTH, ...BODY, 409: 'slug taken' },
  },
  'GET /users': { summary: 'Members of the workspace (e-mail addresses for admins only)', errors: AUTH },
  'POST /users/add': {
    summary: 'Add a member (invited by mail when no password is given)',
    errors: { ...ADMIN, ...BODY, 409: 'already a member', 429: 'too many mailed adds (Retry-After)' },
  },
  'POST /users/:id/reset-password': {
    summary: "Set a member's password (only identities that belong to this workspace alone)",
    errors: { ...ADMIN, ...BODY, 404: 'not a member' },
  },
  'DELETE /users/:id': {
    summary: 'Remove a member from the workspace (the identity stays)',
    errors: { ...ADMIN, 404: 'not a member', 409: 'the last admin cannot be removed' },
  },
  'POST /users/exit': { summary: 'Leave the workspace', errors: { ...AUTH, 409: 'the last admin cannot leave' } },
  'PUT /users/me': { summary: "Change the caller's display name", errors: { ...AUTH, ...BODY } },
  'PUT /users/:id/role': {
    summary: "Change a member's role",
    errors: { ...ADMIN, ...BODY, 404: 'not a member', 409: 'the last admin cannot be demoted' },
  },
  'GET /server/settings': { summary: "The workspace's settings", errors: AUTH },
  'PUT /server/settings': { summary: "Change the workspace's settings", errors: { ...ADMIN, ...BODY } },

  // channels and messages
  'GET /channels': { summary: "Channels, with the caller's unread counts", errors: AUTH },
  'POST /channels': { summary: 'Create a channel', errors: { ...ADMIN, ...BODY, 409: 'name taken' } },
  'PUT /channels/:channelId': {
    summary: 'Rename a channel',
    errors: { ...ADMIN, ...BODY, 404: 'no such channel', 409: 'name taken' },
  },
  'DELETE /channels/:channelId': {
    summary: 'Delete a channel, its messages and webhooks',
    errors: { ...ADMIN, 404: 'no such channel' },
  },
  'PUT /channels/:channelId/read': {
    summary: "Move the caller's read marker",
    errors: { ...AUTH, ...BODY, 404: 'no such channel or message' },
  },
  'GET /channels/:channelId/messages': {
    summary: 'A page of top-level messages, oldest to newest',
    errors: { ...AUTH, 400: 'invalid limit or before', 404: 'no such channel' },
  },
  'POST /channels/:channelId/messages': {
    summary: 'Post a message (200 once committed)',
    errors: { ...CONTENT, 404: 'no such channel' },
  },
  'PUT /messages/:messageId': {
    summary: 'Edit your message (any conversation you can read)',
    errors: { ...CONTENT, 403: 'not the author', 404: 'no such message' },
  },
  'DELETE /messages/:messageId': {
    summary: 'Delete a message (the author, or an admin)',
    errors: { ...AUTH, 403: 'not the author', 404: 'no such message' },
  },
  'POST /messages/:messageId/reactions': {
    summary: 'Add a reaction (idempotent)',
    errors: { ...AUTH, ...BODY, 404: 'no such message', 409: 'the message has 50 different reactions' },
  },
  'DELETE /messages/:messageId/reactions': {
    summary: 'Remove a reaction (idempotent)',
    errors: { ...AUTH, ...BODY, 404: 'no such message' },
  },

  // threads
  'GET /messages/:messageId/thread': {
    summary: "A page of a thread's replies",
    errors: { ...AUTH, 404: 'no such message' },
  },
  'POST /messages/:messageId/thread': {
    summary: 'Reply in a thread',
    errors: { ...CONTENT, 400: 'the parent is itself a reply', 404: 'no such message' },
  },
  'PUT /messages/:messageId/thread/:replyId': {
    summary: 'Edit your reply',
    errors: { ...CONTENT, 403: 'not the author', 404: 'no such reply in this thread' },
  },
  'DELETE /messages/:messageId/thread/:replyId': {
    summary: 'Delete a reply (the thread summary is recomputed)',
    errors: { ...AUTH, 403: 'not the author', 404: 'no such reply in this thread' },
  },
  'POST /messages/:messageId/thread/image': { summary: 'Upload an image for a thread reply', errors: IMAGE_UPLOAD },

  // DMs
  'GET /conversations': { summary: "The caller's DMs, latest activity first", errors: AUTH },
  'POST /conversations': {
    summary: 'Create or get the DM with a member',
    errors: { ...AUTH, ...BODY, 404: 'no such member' },
  },
  'GET /conversations/:conversationId/messages': {
    summary: 'A page of DM messages',
    errors: { ...AUTH, 400: 'invalid limit or before', 404: 'no such DM (or not a participant)' },
  },
  'POST /conversations/:conversationId/messages': { summary: 'Send a DM', errors: { ...CONTENT, 404: 'no such DM' } },
  'PUT /conversations/:conversationId/messages/:messageId': {
    summary: 'Edit your DM',
    errors: { ...CONTENT, 403: 'not the author', 404: 'no such DM or message' },
  },
  'DELETE /conversations/:conversationId/messages/:messageId': {
    summary: 'Delete a DM message',
    errors: { ...AUTH, 403: 'not the author', 404: 'no such DM or message' },
  },
  'PUT /conversations/:conversationId/read': {
    summary: "Move the caller's read marker in a DM",
    errors: { ...AUTH, ...BODY, 404: 'no such DM or message' },
  },

  // images
  'POST /channels/:channelId/messages/image': { summary: 'Upload an image (base64 JSON)', errors: IMAGE_UPLOAD },
  'GET /channels/:channelId/messages/image/:filename': {
    summary: 'Download an image or its thumbnail (`?size=thumb`); the token may be in `?token=`',
    errors: { ...AUTH, 404: 'no such image' },
  },
  'POST /conversations/:conversationId/messages/image': { summary: 'Upload an image to a DM', errors: IMAGE_UPLOAD },
  'GET /conversations/:conversationId/messages/image/:filename': {
    summary: 'Download a DM image (participants only)',
    errors: { ...AUTH, 404: 'no such image' },
  },

  // webhooks
  'GET /webhooks': { summary: 'Webhooks of the workspace (never their tokens)', errors: ADMIN },
  'POST /webhooks': {
    summary: 'Create a webhook; its token is shown once',
    errors: { ...ADMIN, ...BODY, 404: 'no such channel' },
  },
  'DELETE /webhooks/:webhookId': { summary: 'Delete a webhook', errors: { ...ADMIN, 404: 'no such webhook' } },
  'POST /webhooks/:webhookId/messages': {
    summary: 'Post as the webhook (Bearer token); Slack and Discord bodies accepted',
    description:
      'Answers carry X-Rate-Limit-* headers; an Idempotency-Key header makes a retried post create one message.',
    errors: { ...BODY, 401: 'wrong webhook id or token', 413: 'content too long', 429: 'rate limited (Retry-After)' },
  },
  'POST /hooks/:webhookId/:secret/message': {
    summary: 'Post through the secret URL; answers `ok`',
    description: 'Accepts `{message}`, Slack and Discord bodies. A wrong id or secret is 401 `access_denied`.',
    errors: { ...BODY, 401: 'access_denied', 429: 'rate limited (Retry-After)' },
  },

  // ephemeral rooms (zwip-rooms-api.txt): integer ids, ISO times (UTC, to the second), no accounts
  'POST /rooms': {
    summary: 'Create a room: `{code, admin_token}` (the admin token is shown once)',
    description: 'Takes no body (an optional `{name}` is accepted). Rate limited per client IP.',
    errors: { ...BODY, 429: ROOM_RATE },
  },
  'GET /rooms/:code': { summary: 'A room’s metadata', errors: { 404: ROOM_GONE_404 } },
  'POST /rooms/:code/rename': {
    summary: 'Rename a room: form field `name` (or JSON), up to 50 characters',
    errors: { ...BODY, 404: ROOM_GONE_404, 415: 'neither a form nor JSON' },
  },
  'POST /rooms/:code/commands': {
    summary: 'Run a slash command (`{command}`, leading slash optional), e.g. `/destroy`',
    description: 'Admin commands need the room’s `X-Admin-Token`. `/destroy` answers `{status: "destroyed", command}`.',
    errors: { 400: 'unknown command (the list is in `details`) or invalid body', 403: ADMIN_TOKEN, 404: ROOM_GONE_404 },
  },
  'DELETE /rooms/:code': {
    summary: 'Destroy a room with its `X-Admin-Token` (the REST form of `/destroy`)',
    errors: { 403: ADMIN_TOKEN, 404: ROOM_GONE_404 },
  },
  'GET /rooms/:code/messages': {
    summary: 'The room’s 100 most recent messages, oldest first',
    errors: { 404: ROOM_GONE_404 },
  },
  'POST /rooms/:code/messages': {
    summary: 'Post `{content, sender?}` to a room (the code is the credential)',
    errors: { ...BODY, 404: ROOM_GONE_404, 413: 'content longer than 16,000 characters', 429: ROOM_RATE },
  },
  'POST /rooms/:code/files': {
    summary: 'Upload a file (multipart field `file`, optional `sender`, `content`); its message carries `file_path`',
    description:
      'The type is judged from the bytes: JPEG, PNG, WebP, GIF, PDF, ZIP, gzip or UTF-8 text. Above ROOM_FILE_MAX_BYTES (10 MB) 413.',
    errors: {
      ...BODY,
      404: ROOM_GONE_404,
      413: 'file or field too large',
      415: 'not multipart, or a file type not on the list',
      429: ROOM_RATE,
    },
  },
  'GET /rooms/:code/files/:name': {
    summary: 'Download a room’s file (images inline, everything else as an attachment)',
    errors: { 404: 'no such room or file' },
  },
  'POST /rooms/:code/webhooks': {
    summary: 'Mint an incoming webhook `{label?}`: its token and URL are shown once',
    errors: { ...BODY, 404: ROOM_GONE_404, 429: ROOM_RATE },
  },
  'GET /rooms/:code/webhooks': { summary: 'The room’s webhooks (never their tokens)', errors: { 404: ROOM_GONE_404 } },
  'DELETE /rooms/:code/webhooks/:id': {
    summary: 'Revoke a webhook: its token stops working at once',
    errors: { 404: 'no such room, or no such webhook in it' },
  },
  'POST /hooks/in/:code/:token': {
    summary: 'Post `{content, sender?}` through a room webhook: `{ok: true, message_id}`',
    description: 'The body is read as JSON whatever its Content-Type; other fields are ignored.',
    errors: {
      401: 'unknown or revoked token, or another room’s',
      410: 'the room has expired or been closed',
      413: 'content longer than 16,000 characters',
      422: 'content missing or empty',
      429: ROOM_RATE,
    },
  },

  // events
  'GET /events': {
    summary: 'Server-Sent Events: every event the caller may see, resumable with Last-Event-ID',
    errors: AUTH,
  },
};
