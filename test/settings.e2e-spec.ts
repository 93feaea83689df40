import { expectError, type TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

describe('server settings', () => {
  let app: TestApp;
  let admin: TestUser;
  let member: TestUser;

  const settingsOf = async (user: TestUser): Promise<{ name: string }> => {
    const res = await user.api.get('/server/settings');
    if (res.status !== 200) throw new Error(`GET /server/settings failed: ${res.status} ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.admin();
    member = await app.given.member(admin);
  });
  afterAll(() => app.close());

  it('answers GET with {name} for any member', async () => {
    const res = await member.api.get('/server/settings');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: expect.any(String) });
    expect(res.body.name.length).toBeGreaterThan(0);
    expect(await settingsOf(admin)).toEqual(res.body);
  });

  it('requires a token', async () => {
    expect((await app.api.get('/server/settings')).status).toBe(401);
    expect((await app.api.put('/server/settings', { name: 'anonymous' })).status).toBe(401);
  });

  it('lets an admin rename the workspace, answering {name}, and everyone sees it', async () => {
    const res = await admin.api.put('/server/settings', { name: 'My Team Chat' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'My Team Chat' });
    expect(await settingsOf(member)).toEqual({ name: 'My Team Chat' });
    expect(await settingsOf(admin)).toEqual({ name: 'My Team Chat' });
  });

  it('trims the name and accepts 100 characters', async () => {
    const trimmed = await admin.api.put('/server/settings', { name: '  Spaced Out  ' });
    expect(trimmed.status).toBe(200);
    expect(trimmed.body).toEqual({ name: 'Spaced Out' });
    const long = 'L'.repeat(100);
    const res = await admin.api.put('/server/settings', { name: long });
    expect(res.status).toBe(200);
    expect(await settingsOf(member)).toEqual({ name: long });
  });

  it('refuses a member with 403 ADMIN_REQUIRED and changes nothing', async () => {
    const before = await settingsOf(admin);
    const res = await member.api.put('/server/settings', { name: 'Member Was Here' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: expect.any(String), code: 'ADMIN_REQUIRED' });
    expect(await settingsOf(admin)).toEqual(before);
  });

  it.each([
    ['empty', { name: '' }],
    ['whitespace only', { name: '   ' }],
    ['101 characters', { name: 'x'.repeat(101) }],
    ['not a string', { name: 5 }],
    ['null', { name: null }],
    ['missing', {}],
    ['NUL-containing', { name: 'a\u0000b' }],
  ])('rejects a name that is %s with 400 and changes nothing', async (_label, body) => {
    const before = await settingsOf(admin);
    const res = await admin.api.put('/server/settings', body);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(await settingsOf(admin)).toEqual(before);
  });

  it('keeps separate settings per workspace', async () => {
    const other = await app.given.workspace();
    const otherMember = await app.given.member(other);

    expect((await admin.api.put('/server/settings', { name: 'Workspace A' })).status).toBe(200);
    expect((await other.api.put('/server/settings', { name: 'Workspace B' })).status).toBe(200);

    expect(await settingsOf(admin)).toEqual({ name: 'Workspace A' });
    expect(await settingsOf(member)).toEqual({ name: 'Workspace A' });
    expect(await settingsOf(other)).toEqual({ name: 'Workspace B' });
    expect(await settingsOf(otherMember)).toEqual({ name: 'Workspace B' });

    expect((await other.api.put('/server/settings', { name: 'Workspace B2' })).status).toBe(200);
    expect(await settingsOf(admin)).toEqual({ name: 'Workspace A' });
  });

  it('gives a new workspace its own name, not the default workspace settings', async () => {
    expect((await admin.api.put('/server/settings', { name: 'Default Only' })).status).toBe(200);
    const fresh = await app.given.workspace('Fresh Team');
    const settings = await settingsOf(fresh);
    expect(settings.name).not.toBe('Default Only');
    expect(settings.name).toBe('Fresh Team');
  });
});
