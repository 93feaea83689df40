import { BadRequestError, PayloadTooLargeError } from './domain-errors';

export const MAX_MESSAGE_CONTENT_LENGTH = 16_000;

/** Message content: non-empty after trim, at most 16,000 characters (413 above, as the contract says). */
export function assertMessageContent(content: unknown, field = 'content'): string {
  if (typeof content !== 'string') throw new BadRequestError(`${field} must be a string`, 'VALIDATION_FAILED');
  if (content.trim().length === 0) throw new BadRequestError(`${field} must not be empty`, 'VALIDATION_FAILED');
  // PostgreSQL text cannot hold U+0000; refuse it here rather than fail the insert with a 500.
  if (content.includes('\u0000')) {
    throw new BadRequestError(`${field} must not contain NUL characters`, 'VALIDATION_FAILED');
  }
  if (content.length > MAX_MESSAGE_CONTENT_LENGTH) {
    throw new PayloadTooLargeError(
      `${field} is longer than ${MAX_MESSAGE_CONTENT_LENGTH} characters`,
      'CONTENT_TOO_LONG',
    );
  }
  return content;
}
