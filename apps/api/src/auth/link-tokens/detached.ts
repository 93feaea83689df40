import { Logger } from '@nestjs/common';

/**
 * Runs work after the answer is decided, unawaited, logging a failure (its message only: mail
 * bodies hold tokens). Routes that must answer alike whether or not an e-mail is known use it, so
 * neither the body nor the time taken tells.
 */
export function detached(logger: Logger, what: string, work: () => Promise<void>): void {
  work().catch((error: unknown) => {
    logger.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  });
}
