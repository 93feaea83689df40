export type AuthMode = 'dev' | 'password' | 'magic-link' | 'oauth';
export const AUTH_MODES: readonly AuthMode[] = ['dev', 'password', 'magic-link', 'oauth'];
/** Express's `trust proxy` setting: none, any, a hop count, or addresses/CIDRs/named ranges. */
export type TrustProxy = boolean | number | string[];

/** The whole configuration, grouped by concern. Built once at boot by `loadConfig()`. */
export interface AppConfig {
  server: {
    port: number;
    host: string;
    appUrl: string;
    /** The API answers 413 above this request body size (JSON routes). */
    jsonBodyLimit: string;
    /** Which proxies' `X-Forwarded-For` decides the client IP (rate limits); see TRUST_PROXY. */
    trustProxy: TrustProxy;
  };
  database: {
    /** Unset: an embedded PostgreSQL is started under `dataDir`. */
    url: string | undefined;
    dataDir: string;
    poolSize: number;
  };
  auth: {
    modes: ReadonlySet<AuthMode>;
    /** Unset: generated once and kept in `dataDir` (see `resolveJwtSecret`). */
    jwtSecret: string | undefined;
    accessTokenTtlSeconds: number;
    refreshGraceSeconds: number;
    initialAdminEmail: string;
    initialAdminPassword: string | undefined;
    inviteRequired: boolean;
    /** Login rate limits: attempts per fixed window, per client IP and per account (e-mail). */
    rateLimit: { perIp: number; perAccount: number; windowSeconds: number };
  };
  mail: { smtpUrl: string | undefined; from: string };
  oauth: {
    google: {
      clientId: string | undefined;
      clientSecret: string | undefined;
      authorizationUrl: string;
      tokenUrl: string;
      userInfoUrl: string;
      /** Unset: `${appUrl}/auth/oauth/google/callback`. */
      redirectUrl: string | undefined;
    };
  };
  redis: { url: string | undefined };
  events: { retentionHours: number; heartbeatSeconds: number; maxStreamsPerUser: number };
  /** Incoming webhooks: requests per webhook per fixed UTC hour and day, counted per process. */
  webhooks: { rateLimitPerHour: number; rateLimitPerDay: number };
  rooms: {
    ttlSeconds: number;
    /** PARLEY_ENC_KEY (alias ZWIP_ENC_KEY): encrypts room data at rest; unset = plaintext. */
    encKey: string | undefined;
    /** PARLEY_ENC_KEY_PREVIOUS (alias ZWIP_ENC_KEY_PREVIOUS): older keys, for reading only (rotation). */
    previousEncKeys: string[];
    /** Largest file `POST /rooms/:code/files` accepts, in bytes. */
    fileMaxBytes: number;
    /** Per client IP (IPv6 per /64), fixed UTC hour and day windows, counted per process. */
    rateLimit: {
      create: { perHour: number; perDay: number };
      post: { perHour: number; perDay: number };
    };
  };
  log: { level: string };
}
