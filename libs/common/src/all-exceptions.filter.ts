import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from './domain-errors';
import { ErrorBody } from './error-body';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

const sqlStateOf = (error: unknown): string | undefined => {
  const code =
    typeof error === 'object' && error !== null
      ? (error as { driverError?: { code?: unknown } }).driverError?.code
      : undefined;
  return typeof code === 'string' ? code : undefined;
};

/**
 * What an unexpected error may put in the log: name, message, SQLSTATE and stack — never the
 * query parameters a driver error carries (they can hold hashes, tokens or message content).
 */
function describeForLog(exception: unknown): string {
  if (!(exception instanceof Error)) return `non-error thrown: ${typeof exception}`;
  const sqlState = sqlStateOf(exception);
  return [`${exception.name}: ${exception.message}`, sqlState ? `SQLSTATE ${sqlState}` : '', exception.stack ?? '']
    .filter(Boolean)
    .join('\n');
}

/** Maps every error to `{error, code}`; anything unexpected is logged and answered 500. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.toResponse(exception);
    if (status >= 500) this.logger.error(describeForLog(exception));
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json(body);
  }

  private toResponse(exception: unknown): [number, ErrorBody] {
    if (exception instanceof DomainError) {
      return [exception.status, { error: exception.message, code: exception.code }];
    }
    // PostgreSQL refuses text it cannot store (a NUL character, SQLSTATE 22021): bad input, not a server fault.
    if (sqlStateOf(exception) === '22021') {
      return [400, { error: 'Text must not contain NUL characters', code: 'VALIDATION_FAILED' }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const explicit =
        typeof response === 'object' && response !== null
          ? (response as Partial<ErrorBody> & { message?: unknown })
          : {};
      const message =
        typeof explicit.error === 'string' && explicit.code
          ? explicit.error
          : typeof explicit.message === 'string'
            ? explicit.message
            : exception.message;
      const body: ErrorBody = {
        error: message,
        code: explicit.code ?? CODE_BY_STATUS[status] ?? 'ERROR',
      };
      if (Array.isArray(explicit.details)) body.details = explicit.details;
      return [status, body];
    }
    return [500, { error: 'Internal server error', code: 'INTERNAL' }];
  }
}
