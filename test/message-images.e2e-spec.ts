import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { expectError, SseClient, TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

const png = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .png()
    .toBuffer();

describe('messages that carry images', () => {
  let app: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let channelId: string;
  let otherChannelId: string;
  const upload = async (user: TestUser, path: string): Promise<string> => {
    const res = await user.api.post(path, { filename: 'shot.png', image: (await png()).toString('base64') });
    expect(res.status).toBe(200);
    return res.body.filename;
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.workspace();
    alice = await app.given.member(admin);
    bob = await app.given.member(admin);
    channelId = (await app.given.channel(admin)).id;
    otherChannelId = (await app.given.channel(admin)).id;
  });
  afterAll(() => app.close());

  it('posts an image with or without text, in the message, its event and the history', async () => {
    const name = await upload(alice, `/channels/${channelId}/messages/image`);
    const stream = await SseClient.open(`${app.baseUrl}/events`, { token: bob.token });
    await stream.waitForType('CONNECTED');
    const res = await alice.api.post(`/channels/${channelId}/messages`, { content: '', images: [name] });
    expect(res.status).toBe(200);
    expect(res.body.message).toMatchObject({ content: '', images: [name] });
    const [event] = await stream.waitForType('NEW_MESSAGE');
    expect(event.payload).toEqual(res.body.message);
    stream.close();
    const blank = await alice.api.post(`/channels/${channelId}/messages`, { content: '  ', images: [name] });
    expect(blank.body.message).toMatchObject({ content: '', images: [name] });
    const withText = await alice.api.post(`/channels/${channelId}/messages`, { content: 'look', images: [name, name] });
    expect(withText.body.message).toMatchObject({ content: 'look', images: [name] });
    const history = await bob.api.get(`/channels/${channelId}/messages?limit=3`);
    expect(history.body.messages.map((m: { images: string[] }) => m.images)).toEqual([[name], [name], [name]]);
    const download = await fetch(`${app.baseUrl}/channels/${channelId}/messages/image/${name}?token=${bob.token}`);
    expect(download.status).toBe(200);
  });

  it('attaches images to DM messages and thread replies', async () => {
    const dm = (await alice.api.post('/conversations', { targetUserId: bob.id })).body.conversation;
    const dmImage = await upload(alice, `/conversations/${dm.id}/messages/image`);
    const sent = await alice.api.post(`/conversations/${dm.id}/messages`, { content: 'pic', images: [dmImage] });
    expect(sent.body.message.images).toEqual([dmImage]);
    const parent = (await alice.api.post(`/channels/${channelId}/messages`, { content: 'thread' })).body.message;
    const threadImage = await upload(bob, `/messages/${parent.id}/thread/image`);
    const reply = await bob.api.post(`/messages/${parent.id}/thread`, { content: '', images: [threadImage] });
    expect(reply.status).toBe(200);
    expect(reply.body.reply.images).toEqual([threadImage]);
  });

  it('reads no large upload body without a valid access token, nor a compressed one', async () => {
    const big = JSON.stringify({ filename: 'x.png', image: 'A'.repeat(4 * 1024 * 1024) });
    const path = `${app.baseUrl}/channels/${channelId}/messages/image`;
    const headers = { 'Content-Type': 'application/json' };
    const anonymous = await fetch(path, { method: 'POST', headers, body: big });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    const forged = await fetch(path, {
      method: 'POST',
      headers: { ...headers, Authorization: 'Bearer x.y.z' },
      body: big,
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'INVALID_TOKEN' });
    const gzipped = await fetch(path, {
      method: 'POST',
      headers: { ...headers, Authorization: `Bearer ${alice.token}`, 'Content-Encoding': 'gzip' },
      body: gzipSync(big),
    });
    expect(gzipped.status).toBe(415);
    expect(await gzipped.json()).toHaveProperty('code');
  });

  it('refuses images not uploaded to that conversation, and empty messages', async () => {
    const elsewhere = await upload(alice, `/channels/${otherChannelId}/messages/image`);
    expectError(
      await alice.api.post(`/channels/${channelId}/messages`, { content: 'x', images: [elsewhere] }),
      400,
      'IMAGE_NOT_UPLOADED',
    );
    expectError(
      await alice.api.post(`/channels/${channelId}/messages`, { content: 'x', images: ['1-abc.png'] }),
      400,
      'IMAGE_NOT_UPLOADED',
    );
    expectError(await alice.api.post(`/channels/${channelId}/messages`, { images: [] }), 400, 'VALIDATION_FAILED');
    expectError(await alice.api.post(`/channels/${channelId}/messages`, { content: '' }), 400, 'VALIDATION_FAILED');
    expectError(
      await alice.api.post(`/channels/${channelId}/messages`, { content: 'x', images: 'a.png' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await alice.api.post(`/channels/${channelId}/messages`, { content: 'x', images: Array(11).fill(elsewhere) }),
      400,
      'VALIDATION_FAILED',
    );
    const history = await alice.api.get(`/channels/${channelId}/messages?limit=50`);
    expect(history.body.messages.filter((m: { images: string[] }) => m.images.includes(elsewhere))).toEqual([]);
  });
});
