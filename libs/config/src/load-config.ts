import { isIP } from 'node:net';
import * as path from 'node:path';
import { z } from 'zod';
import { AppConfig, AUTH_MODES, AuthMode, TrustProxy } from './app-config';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
export const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.has(host) || host.startsWith('127.');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const int = (fallback: number, min: number, max: number) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().min(min).max(max).optional().default(fallback));

// One schema over the raw environment, so every problem is reported at once.
const envSchema = z.object({
  PORT: int(3000, 0, 65535),
  HOST: z.string().min(1).optional().default('127.0.0.1'),
  APP_URL: z.string().url().optional(),
  JSON_BODY_LIMIT: z.string().optional().default('1mb'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  PARLEY_DATA_DIR: z.string().min(1).optional().default('./.parley'),
  AUTH_MODES: optionalString,
  PARLEY_ALLOW_DEV_AUTH_ON_PUBLIC_HOST: bool(false),
  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  INITIAL_ADMIN_EMAIL: z.string().email().optional().default('admin@example.com'),
  INITIAL_ADMIN_PASSWORD: optionalString.pipe(z.string().min(8, 'must be at least 8 characters').optional()),
  INVITE_REQUIRED: bool(true),
  AUTH_REFRESH_GRACE_SECONDS: int(30, 0, 300),
  AUTH_RATE_LIMIT_PER_IP: int(100, 1, 1_000_000),
  AUTH_RATE_LIMIT_PER_ACCOUNT: int(10, 1, 1_000_000),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: int(900, 1, 24 * 3600),
  TRUST_PROXY: optionalString,
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  MAIL_FROM: z.string().optional().default('Parley <parley@localhost>'),
  OAUTH_GOOGLE_CLIENT_ID: optionalString,
  OAUTH_GOOGLE_CLIENT_SECRET: optionalString,
  OAUTH_GOOGLE_AUTHORIZATION_URL: z.string().url().optional().default('https://accounts.google.com/o/oauth2/v2/auth'),
  OAUTH_GOOGLE_TOKEN_URL: z.string().url().optional().default('https://oauth2.googleapis.com/token'),
  OAUTH_GOOGLE_USERINFO_URL: z.string().url().optional().default('https://openidconnect.googleapis.com/v1/userinfo'),
  OAUTH_GOOGLE_REDIRECT_URL: optionalString.pipe(z.string().url().optional()),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
  ),
  PARLEY_ENC_KEY: optionalString,
  ZWIP_ENC_KEY: optionalString,
  ROOM_TTL_SECONDS: int(3600, 1, 60 * 60 * 24 * 30),
  PARLEY_ENC_KEY_PREVIOUS: optionalString,
  ZWIP_ENC_KEY_PREVIOUS: optionalString,
  ROOM_FILE_MAX_BYTES: int(10 * 1024 * 1024, 1, 100 * 1024 * 1024),
  // Per client IP: a script creating a room per CI run stays far inside these.
  ROOM_CREATE_RATE_LIMIT_PER_HOUR: int(100, 1, 1_000_000_000),
  ROOM_CREATE_RATE_LIMIT_PER_DAY: int(1_000, 1, 1_000_000_000),
  // Posts (messages, hooks, files) per client IP: about 3 a second all hour.
  ROOM_POST_RATE_LIMIT_PER_HOUR: int(10_000, 1, 1_000_000_000),
  ROOM_POST_RATE_LIMIT_PER_DAY: int(100_000, 1, 1_000_000_000),
  EVENT_RETENTION_HOURS: int(24, 1, 24 * 365),
  SSE_HEARTBEAT_SECONDS: int(15, 1, 3600),
  SSE_MAX_STREAMS_PER_USER: int(20, 1, 1_000_000),
  // 100 posts a second through one webhook, all day, stays well inside both.
  WEBHOOK_RATE_LIMIT_PER_HOUR: int(1_000_000, 1, 1_000_000_000),
  WEBHOOK_RATE_LIMIT_PER_DAY: int(10_000_000, 1, 1_000_000_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
});

function parseAuthModes(raw: string | undefined, host: string, problems: string[]): Set<AuthMode> {
  if (raw === undefined) {
    return new Set<AuthMode>(isLoopbackHost(host) ? ['dev', 'password', 'magic-link'] : ['password']);
  }
  const modes = new Set<AuthMode>();
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if ((AUTH_MODES as readonly string[]).includes(item)) modes.add(item as AuthMode);
    else problems.push(`AUTH_MODES: unknown mode "${item}" (known: ${AUTH_MODES.join(', ')})`);
  }
  if (modes.size === 0) problems.push('AUTH_MODES: at least one mode must be enabled');
  return modes;
}

const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Which proxies may tell us the client address (`X-Forwarded-For`), in Express's `trust proxy`
 * terms: unset/`false` trusts none (the socket address is the client), a number trusts that many
 * hops, else a list of addresses, CIDRs or `loopback`/`linklocal`/`uniquelocal`. `true` trusts any
 * sender, so a client could pick its own address (and so its own rate-limit bucket).
 */
function parseTrustProxy(value: string | undefined, problems: string[]): TrustProxy {
  if (value === undefined || ['false', '0', 'no'].includes(value)) return false;
  if (['true', 'yes'].includes(value)) return true;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => {
    if (TRUST_PROXY_NAMES.has(entry)) return false;
    const [address, bits, ...rest] = entry.split('/');
    if (rest.length > 0 || isIP(address ?? '') === 0) return true;
    return bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address ?? '') === 4 ? 32 : 128));
  });
  if (entries.length === 0 || bad.length > 0) {
    problems.push(
      `TRUST_PROXY: expected false, true, a hop count, or addresses/CIDRs/loopback/linklocal/uniquelocal` +
        (bad.length > 0 ? ` (not understood: ${bad.join(', ')})` : ''),
    );
  }
  return entries;
}

function validateEncKey(raw: string | undefined, problems: string[], name = 'PARLEY_ENC_KEY'): string | undefined {
  if (raw === undefined) return undefined;
  const isHex = /^[0-9a-fA-F]{64}$/.test(raw);
  const isBase64 = Buffer.from(raw, 'base64').length === 32 && /^[A-Za-z0-9+/]+=*$/.test(raw);
  if (!isHex && !isBase64) {
    problems.push(`${name}: must be 32 bytes as 64 hex characters or as base64`);
  }
  return raw;
}

/** Comma-separated older keys, each checked like the current one (the message never shows a key). */
function validatePreviousEncKeys(raw: string | undefined, problems: string[]): string[] {
  const keys = (raw ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  keys.forEach((k, i) => validateEncKey(k, problems, `PARLEY_ENC_KEY_PREVIOUS (key ${i + 1})`));
  return keys;
}

const raw = (env: NodeJS.ProcessEnv, key: string): string | undefined => {
  const v = env[key];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
};

/** Reads and validates the environment; throws a `ConfigError` listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  // The cross-field checks read the raw values, so they report alongside the schema's problems.
  const host = raw(env, 'HOST') ?? '127.0.0.1';
  const modes = parseAuthModes(raw(env, 'AUTH_MODES'), host, problems);
  const forceDev = ['true', '1', 'yes'].includes(raw(env, 'PARLEY_ALLOW_DEV_AUTH_ON_PUBLIC_HOST') ?? '');
  if (modes.has('dev') && !isLoopbackHost(host) && !forceDev) {
    problems.push(
      `AUTH_MODES: "dev" lets anyone log in as anyone; refusing it on the public HOST ${host} ` +
        '(set PARLEY_ALLOW_DEV_AUTH_ON_PUBLIC_HOST=true to force it)',
    );
  }
  if (modes.has('oauth') && (!raw(env, 'OAUTH_GOOGLE_CLIENT_ID') || !raw(env, 'OAUTH_GOOGLE_CLIENT_SECRET'))) {
    problems.push('AUTH_MODES: "oauth" needs OAUTH_GOOGLE_CLIENT_ID and OAUTH_GOOGLE_CLIENT_SECRET');
  }
  const trustProxy = parseTrustProxy(raw(env, 'TRUST_PROXY'), problems);
  const encKey = validateEncKey(raw(env, 'PARLEY_ENC_KEY') ?? raw(env, 'ZWIP_ENC_KEY'), problems);
  const previousEncKeys = validatePreviousEncKeys(
    raw(env, 'PARLEY_ENC_KEY_PREVIOUS') ?? raw(env, 'ZWIP_ENC_KEY_PREVIOUS'),
    problems,
  );
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;

  const urlHost = e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST;
  return {
    server: {
      port: e.PORT,
      host: e.HOST,
      appUrl: (e.APP_URL ?? `http://${urlHost}:${e.PORT}`).replace(/\/+$/, ''),
      jsonBodyLimit: e.JSON_BODY_LIMIT,
      trustProxy,
    },
    database: {
      url: e.DATABASE_URL,
      dataDir: path.resolve(e.PARLEY_DATA_DIR),
      poolSize: e.DATABASE_POOL_SIZE,
    },
    auth: {
      modes,
      jwtSecret: e.JWT_SECRET,
      accessTokenTtlSeconds: 15 * 60,
      refreshGraceSeconds: e.AUTH_REFRESH_GRACE_SECONDS,
      initialAdminEmail: e.INITIAL_ADMIN_EMAIL.toLowerCase(),
      initialAdminPassword: e.INITIAL_ADMIN_PASSWORD,
      inviteRequired: e.INVITE_REQUIRED,
      rateLimit: {
        perIp: e.AUTH_RATE_LIMIT_PER_IP,
        perAccount: e.AUTH_RATE_LIMIT_PER_ACCOUNT,
        windowSeconds: e.AUTH_RATE_LIMIT_WINDOW_SECONDS,
      },
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    oauth: {
      google: {
        clientId: e.OAUTH_GOOGLE_CLIENT_ID,
        clientSecret: e.OAUTH_GOOGLE_CLIENT_SECRET,
        authorizationUrl: e.OAUTH_GOOGLE_AUTHORIZATION_URL,
        tokenUrl: e.OAUTH_GOOGLE_TOKEN_URL,
        userInfoUrl: e.OAUTH_GOOGLE_USERINFO_URL,
        redirectUrl: e.OAUTH_GOOGLE_REDIRECT_URL,
      },
    },
    redis: { url: e.REDIS_URL },
    events: {
      retentionHours: e.EVENT_RETENTION_HOURS,
      heartbeatSeconds: e.SSE_HEARTBEAT_SECONDS,
      maxStreamsPerUser: e.SSE_MAX_STREAMS_PER_USER,
    },
    webhooks: { rateLimitPerHour: e.WEBHOOK_RATE_LIMIT_PER_HOUR, rateLimitPerDay: e.WEBHOOK_RATE_LIMIT_PER_DAY },
    rooms: {
      ttlSeconds: e.ROOM_TTL_SECONDS,
      encKey,
      previousEncKeys,
      fileMaxBytes: e.ROOM_FILE_MAX_BYTES,
      rateLimit: {
        create: { perHour: e.ROOM_CREATE_RATE_LIMIT_PER_HOUR, perDay: e.ROOM_CREATE_RATE_LIMIT_PER_DAY },
        post: { perHour: e.ROOM_POST_RATE_LIMIT_PER_HOUR, perDay: e.ROOM_POST_RATE_LIMIT_PER_DAY },
      },
    },
    log: { level: e.LOG_LEVEL },
  };
}
