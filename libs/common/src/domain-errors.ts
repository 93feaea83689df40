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

/** 410: the thing existed and is gone for good (an expired or destroyed ephemeral room). */
export class GoneError extends DomainError {
  readonly status = 410;
  constructor(message: string, code = 'GONE') {
    super(message, code);
  }
}

/** 415: a body or upload of a type the route does not take. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  constructor(message: string, code = 'UNSUPPORTED_MEDIA_TYPE') {
    super(message, code);
  }
}

/** 422: well-formed but semantically unusable (an ephemeral-room hook post without content). */
export class UnprocessableEntityError extends DomainError {
  readonly status = 422;
  constructor(message: string, code = 'UNPROCESSABLE') {
    super(message, code);
  }
}
