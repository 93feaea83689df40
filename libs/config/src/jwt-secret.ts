import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppConfig } from './app-config';

/**
 * The signing key: `JWT_SECRET` when set, else one generated at first boot and kept in the data
 * dir (mode 0600), so tokens survive restarts without the operator choosing a secret.
 */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  const file = path.join(config.database.dataDir, 'jwt-secret');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(config.database.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  // 'wx' so two processes racing on first boot cannot both write: the loser reads the winner's.
  try {
    fs.writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveJwtSecret(config);
    throw error;
  }
}
