import { QueryFailedError } from 'typeorm';

const codeOf = (error: unknown): string | undefined =>
  error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;

export const isUniqueViolation = (error: unknown): boolean => codeOf(error) === '23505';
export const isForeignKeyViolation = (error: unknown): boolean => codeOf(error) === '23503';

/** The SQLSTATE of a PostgreSQL error, through TypeORM or straight from the driver (prepared statements). */
const sqlStateOf = (error: unknown): string | undefined => {
  const code = codeOf(error) ?? (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/**
 * The server reported that this statement failed (so, in autocommit, nothing of it was written):
 * retrying it, or parts of it, cannot write twice. Not so for a lost connection (no SQLSTATE, or
 * class 08, or an administrator's shutdown): the statement may have committed before the line went.
 */
export const isStatementFailure = (error: unknown): boolean => {
  const state = sqlStateOf(error);
  return state !== undefined && !state.startsWith('08') && !state.startsWith('57P');
};
