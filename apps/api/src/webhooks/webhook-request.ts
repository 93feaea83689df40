import type { Request } from 'express';
import { BadRequestError } from '@parley/common';

// 1–255 visible ASCII characters (no spaces: a list of keys joined by a proxy is refused too).
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** What an ingest route reads from the request beyond its credentials. */
export interface IngestRequest {
  body: unknown;
  /** Discord's `?thread_id=`. */
  threadId: unknown;
  /** The raw header: checked only after the credentials and the rate limit. */
  idempotencyKey: string | string[] | undefined;
}

export function ingestRequest(req: Request): IngestRequest {
  return {
    body: req.body as unknown,
    // Express parses the query string on every read of req.query; most posts have none.
    threadId: req.url.includes('?') ? (req.query as Record<string, unknown>).thread_id : undefined,
    idempotencyKey: req.headers['idempotency-key'],
  };
}

export function readIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    throw new BadRequestError('Idempotency-Key must be 1 to 255 visible ASCII characters', 'INVALID_IDEMPOTENCY_KEY');
  }
  return header;
}
