import { randomBytes } from 'node:crypto';
import { ApiClient } from './api-client';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
  isAdmin: boolean;
  workspace: { id: string; slug: string };
  api: ApiClient;
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/**
 * Factories that return logged-in users, built only through the public API (dev login), so a test
 * reads as a story: `const alice = await given.member(ws)`.
 */
export class Given {
  constructor(readonly api: ApiClient) {}

  /** Logs in by e-mail through dev mode, optionally into a named workspace. */
  async login(email: string, workspace?: string): Promise<TestUser> {
    const res = await this.api.post('/auth/dev-login', workspace ? { email, workspace } : { email });
    if (res.status !== 200) throw new Error(`dev-login ${email} failed: ${res.status} ${res.text}`);
    const me = await this.api.withToken(res.body.token).get('/auth/me');
    return {
      id: res.body.user.id,
      email,
      token: res.body.token,
      refreshToken: res.body.refreshToken,
      isAdmin: res.body.user.isAdmin,
      workspace: { id: me.body.workspace.id, slug: me.body.workspace.slug },
      api: this.api.withToken(res.body.token),
    };
  }

  /** The initial admin of the default workspace. */
  admin(): Promise<TestUser> {
    return this.login('admin@example.com', 'default');
  }

  /** A new workspace whose creator (a fresh identity) is logged in as its admin. */
  async workspace(name = unique('team')): Promise<TestUser> {
    const owner = await this.login(`${unique('owner')}@example.com`);
    const created = await owner.api.post('/workspaces', { name });
    if (created.status !== 200) throw new Error(`create workspace failed: ${created.status} ${created.text}`);
    return this.login(owner.email, created.body.workspace.slug);
  }

  /** A new member of the admin's workspace, logged in there. */
  async member(admin: TestUser, options: { role?: 'admin' | 'user'; email?: string } = {}): Promise<TestUser> {
    const email = options.email ?? `${unique('user')}@example.com`;
    const added = await admin.api.post('/users/add', { email, role: options.role ?? 'user' });
    if (added.status !== 200) throw new Error(`add user failed: ${added.status} ${added.text}`);
    return this.login(email, admin.workspace.slug);
  }

  async channel(admin: TestUser, name = unique('chan')): Promise<{ id: string; name: string }> {
    const res = await admin.api.post('/channels', { name });
    if (res.status !== 200) throw new Error(`create channel failed: ${res.status} ${res.text}`);
    return res.body.channel;
  }

  async webhook(admin: TestUser, channelId: string, name = unique('bot')): Promise<{ id: string; token: string }> {
    const res = await admin.api.post('/webhooks', { name, channelId });
    if (res.status !== 200) throw new Error(`create webhook failed: ${res.status} ${res.text}`);
    return res.body.webhook;
  }
}
