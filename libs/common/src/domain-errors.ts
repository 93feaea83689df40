/**
 * Errors services throw; the global filter maps each to its HTTP status and `{error, code}`.
 * `code` is a stable, machine-readable identifier clients may branch on.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends DomainError {
  readonly status = 400;
  constructor(message: string, code = 'BAD_REQUEST') {
    super(message, code);
  }
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  constructor(message = 'Authentication required', code = 'UNAUTHORIZED') {
    super(message, code);
  }
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  constructor(message = 'Not allowed', code = 'FORBIDDEN') {
    super(message, code);
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(what = 'Resource', code = 'NOT_FOUND') {
    super(`${what} not found`, code);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
  constructor(message: string, code = 'CONFLICT') {
    super(message, code);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  constructor(message: string, code = 'PAYLOAD_TOO_LARGE') {
    super(message, code);
  }
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  constructor(message: string, code = 'RATE_LIMITED') {
    super(message, code);
  }
}
