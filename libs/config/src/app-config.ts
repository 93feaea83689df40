export type AuthMode = 'dev' | 'password' | 'magic-link' | 'oauth';
export const AUTH_MODES: readonly AuthMode[] = ['dev', 'password', 'magic-link', 'oauth'];

/** The whole configuration, grouped by concern. Built once at boot by `loadConfig()`. */
export interface AppConfig {
  server: {
    port: number;
    host: string;
    appUrl: string;
    /** The API answers 413 above this request body size (JSON routes). */
    jsonBodyLimit: string;
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
  };
  mail: { smtpUrl: string | undefined; from: string };
  oauth: {
    google: {
      clientId: string | undefined;
      clientSecret: string | undefined;
      authorizationUrl: string;
      tokenUrl: string;
      userInfoUrl: string;
    };
  };
  redis: { url: string | undefined };
  events: { retentionHours: number; heartbeatSeconds: number; maxStreamsPerUser: number };
  rooms: { ttlSeconds: number; encKey: string | undefined };
  log: { level: string };
}
