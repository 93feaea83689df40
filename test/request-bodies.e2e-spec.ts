import { expectError } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

describe('request bodies', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  it('answers a non-JSON body on a JSON route with 415 and changes nothing', async () => {
    const admin = await app.given.admin();
    const before = (await admin.api.get('/channels')).body.channels.length;
    const res = await admin.api.post('/channels', 'name=sneaky', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: 'Send the request body as application/json', code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await admin.api.get('/channels')).body.channels).toHaveLength(before);
  });

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const admin = await app.given.admin();
    const res = await admin.api.post('/channels', '{"name": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Malformed JSON body', code: 'INVALID_JSON' });
  });

  it('lets webhook senders post JSON labelled as text/plain or unlabelled', async () => {
    const admin = await app.given.admin();
    const channel = await app.given.channel(admin);
    const webhook = await app.given.webhook(admin, channel.id);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await app.api.post(`/webhooks/${webhook.id}/messages`, JSON.stringify({ content: `as ${type}` }), {
        Authorization: `Bearer ${webhook.token}`,
        'Content-Type': type,
      });
      expect(res.status).toBe(200);
      expect(res.body.message.content).toBe(`as ${type}`);
    }
  });

  it('refuses content with a NUL character with a 400, not a 500', async () => {
    const admin = await app.given.admin();
    const channel = await app.given.channel(admin);
    const res = await admin.api.post(`/channels/${channel.id}/messages`, { content: 'a\u0000b' });
    expectError(res, 400, 'VALIDATION_FAILED');
  });
});

describe('query strings', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  it('ignores unknown query parameters such as cache-busters, but still validates known ones', async () => {
    const admin = await app.given.admin();
    const channel = await app.given.channel(admin);
    const ok = await admin.api.get(`/channels/${channel.id}/messages?_=1700000000&limit=5`);
    expect(ok.status).toBe(200);
    const bad = await admin.api.get(`/channels/${channel.id}/messages?_=1&limit=0`);
    expectError(bad, 400, 'VALIDATION_FAILED');
  });
});
