import { createHash, randomBytes } from 'node:crypto';

/** SHA-256 of a secret token: what is stored instead of the token (tokens carry 256 random bits, so no salt). */
export const sha256 = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();

/** A new secret token: 32 random bytes, base64url (43 characters, safe in a URL path). */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
