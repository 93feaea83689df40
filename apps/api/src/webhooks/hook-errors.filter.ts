import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { AllExceptionsFilter, DomainError } from '@parley/common';

const DENIED = 'The resource owner or authorization server denied the request.';

/** The hook seed's answer to a wrong id or secret, byte for byte. */
export const ACCESS_DENIED = { error: 'access_denied', error_description: DENIED, message: DENIED } as const;

const statusOf = (e: unknown): number | undefined =>
  e instanceof DomainError ? e.status : e instanceof HttpException ? e.getStatus() : undefined;

const isErrorBody = (b: unknown): b is { error: string } =>
  typeof b === 'object' && b !== null && typeof (b as { error?: unknown }).error === 'string';

/**
 * Errors of the secret-URL hook route in its seed's shape (PRODUCT.md §4): a 401 is exactly the
 * seed's `access_denied` body. The seed documents no other body, so every other error keeps the
 * API's `{error, code}` (same statuses and codes as the Bearer route) and repeats the message as
 * the seed's `error_description` and `message`, which hook clients read.
 */
@Catch()
export class HookErrorsFilter implements ExceptionFilter {
  private readonly api = new AllExceptionsFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (statusOf(exception) === 401 && !res.headersSent) {
      res.status(401).json(ACCESS_DENIED);
      return;
    }
    // One mapping of errors to statuses and codes (the API's filter); only the body is widened.
    const json = res.json.bind(res);
    res.json = ((body: unknown) =>
      json(
        isErrorBody(body) ? { ...body, error_description: body.error, message: body.error } : body,
      )) as Response['json'];
    this.api.catch(exception, host);
  }
}
