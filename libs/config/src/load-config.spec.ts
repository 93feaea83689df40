import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('gives the documented defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config.server).toMatchObject({ port: 3000, host: '127.0.0.1', appUrl: 'http://127.0.0.1:3000' });
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toMatch(/\.parley$/);
    expect([...config.auth.modes]).toEqual(['dev', 'password', 'magic-link']);
    expect(config.auth.initialAdminEmail).toBe('admin@example.com');
    expect(config.auth.inviteRequired).toBe(true);
    expect(config.events.retentionHours).toBe(24);
    expect(config.rooms.ttlSeconds).toBe(3600);
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', EVENT_RETENTION_HOURS: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/JWT_SECRET/);
    expect(problems).toMatch(/EVENT_RETENTION_HOURS/);
  });

  it('refuses dev login on a public interface unless forced', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0', AUTH_MODES: 'dev' })).toThrow(/refusing it on the public HOST/);
    expect(
      loadConfig({ HOST: '0.0.0.0', AUTH_MODES: 'dev', PARLEY_ALLOW_DEV_AUTH_ON_PUBLIC_HOST: 'true' }).auth.modes.has(
        'dev',
      ),
    ).toBe(true);
    expect([...loadConfig({ HOST: '0.0.0.0' }).auth.modes]).toEqual(['password']);
  });

  it('rejects unknown auth modes and an oauth mode without credentials', () => {
    expect(() => loadConfig({ AUTH_MODES: 'dev,telepathy' })).toThrow(/unknown mode "telepathy"/);
    expect(() => loadConfig({ AUTH_MODES: 'oauth' })).toThrow(/OAUTH_GOOGLE_CLIENT_ID/);
  });

  it('accepts an encryption key as hex or base64 and under its alias', () => {
    const hexKey = 'ab'.repeat(32);
    expect(loadConfig({ PARLEY_ENC_KEY: hexKey }).rooms.encKey).toBe(hexKey);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ ZWIP_ENC_KEY: b64 }).rooms.encKey).toBe(b64);
    expect(() => loadConfig({ PARLEY_ENC_KEY: 'nope' })).toThrow(/PARLEY_ENC_KEY/);
  });

  it('reads previous keys for rotation, the room file size and the room rate limits', () => {
    const defaults = loadConfig({}).rooms;
    expect(defaults).toMatchObject({
      previousEncKeys: [],
      fileMaxBytes: 10 * 1024 * 1024,
      rateLimit: { create: { perHour: 100, perDay: 1000 }, post: { perHour: 10_000, perDay: 100_000 } },
    });
    const a = 'ab'.repeat(32);
    const b = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ PARLEY_ENC_KEY_PREVIOUS: `${a}, ${b}` }).rooms.previousEncKeys).toEqual([a, b]);
    expect(loadConfig({ ZWIP_ENC_KEY_PREVIOUS: a }).rooms.previousEncKeys).toEqual([a]);
    expect(() => loadConfig({ PARLEY_ENC_KEY_PREVIOUS: `${a},short` })).toThrow(/PARLEY_ENC_KEY_PREVIOUS \(key 2\)/);
    expect(() => loadConfig({ ROOM_FILE_MAX_BYTES: '0' })).toThrow(/ROOM_FILE_MAX_BYTES/);
  });
});

describe('loadConfig login rate limits and TRUST_PROXY', () => {
  it('defaults to 100 per IP and 10 per account in 15-minute windows, trusting no proxy', () => {
    const config = loadConfig({});
    expect(config.auth.rateLimit).toEqual({ perIp: 100, perAccount: 10, windowSeconds: 900 });
    expect(config.server.trustProxy).toBe(false);
  });

  it('reads the limits and refuses nonsense', () => {
    const config = loadConfig({
      AUTH_RATE_LIMIT_PER_IP: '20',
      AUTH_RATE_LIMIT_PER_ACCOUNT: '5',
      AUTH_RATE_LIMIT_WINDOW_SECONDS: '60',
    });
    expect(config.auth.rateLimit).toEqual({ perIp: 20, perAccount: 5, windowSeconds: 60 });
    expect(() => loadConfig({ AUTH_RATE_LIMIT_PER_IP: '0' })).toThrow(/AUTH_RATE_LIMIT_PER_IP/);
    expect(() => loadConfig({ AUTH_RATE_LIMIT_WINDOW_SECONDS: '100000' })).toThrow(/AUTH_RATE_LIMIT_WINDOW_SECONDS/);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.7,::1 ,fd00::/8', ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).server.trustProxy).toEqual(expected);
  });

  it.each(['proxy.example.com', '10.0.0.0/33', '1.2.3.4/8/8', ','])('refuses TRUST_PROXY=%s', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});

describe('loadConfig cross-field checks', () => {
  it('reports schema and cross-field problems together', () => {
    expect(() => loadConfig({ PORT: 'abc', AUTH_MODES: 'telepathy' })).toThrow(/PORT[\s\S]*telepathy/);
  });

  it('treats a blank number as unset', () => {
    expect(loadConfig({ PORT: '' }).server.port).toBe(3000);
  });
});
