// Expected failures, as plain errors with a stable code clients can switch on. Services throw them;
// src/graphql/error-masking.ts turns them into GraphQL errors carrying extensions.code, and masks anything
// else as "Unexpected error." (logged with the request id).

/** Every extensions.code the API answers with (schema.graphql lists them as the ErrorCode enum). */
export const ErrorCode = {
  // The request itself
  BAD_REQUEST: 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CSRF_HEADER_REQUIRED: 'CSRF_HEADER_REQUIRED',
  CSRF_REJECTED: 'CSRF_REJECTED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_CONTENT_TYPE: 'UNSUPPORTED_CONTENT_TYPE',
  NOT_ACCEPTABLE: 'NOT_ACCEPTABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  // Who is asking
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  // Media
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  DATABASE_BUSY: 'DATABASE_BUSY',
  // The server's own dependencies
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  // Accounts, as fastapi-users names them
  REGISTER_USER_ALREADY_EXISTS: 'REGISTER_USER_ALREADY_EXISTS',
  REGISTER_INVALID_PASSWORD: 'REGISTER_INVALID_PASSWORD',
  LOGIN_BAD_CREDENTIALS: 'LOGIN_BAD_CREDENTIALS',
  LOGIN_USER_NOT_VERIFIED: 'LOGIN_USER_NOT_VERIFIED',
  RESET_PASSWORD_BAD_TOKEN: 'RESET_PASSWORD_BAD_TOKEN',
  RESET_PASSWORD_INVALID_PASSWORD: 'RESET_PASSWORD_INVALID_PASSWORD',
  VERIFY_USER_BAD_TOKEN: 'VERIFY_USER_BAD_TOKEN',
  VERIFY_USER_ALREADY_VERIFIED: 'VERIFY_USER_ALREADY_VERIFIED',
  UPDATE_USER_EMAIL_ALREADY_EXISTS: 'UPDATE_USER_EMAIL_ALREADY_EXISTS',
  UPDATE_USER_USERNAME_ALREADY_EXISTS: 'UPDATE_USER_USERNAME_ALREADY_EXISTS',
  UPDATE_USER_INVALID_PASSWORD: 'UPDATE_USER_INVALID_PASSWORD',
  DELETE_USER_INVALID_PASSWORD: 'DELETE_USER_INVALID_PASSWORD',
  // Sessions
  REFRESH_TOKEN_INVALID: 'REFRESH_TOKEN_INVALID',
  // Sign-in with a provider (OAuth2 / OpenID Connect)
  OAUTH_STATE_INVALID: 'OAUTH_STATE_INVALID',
  OAUTH_PROVIDER_ERROR: 'OAUTH_PROVIDER_ERROR',
  OAUTH_EMAIL_NOT_VERIFIED: 'OAUTH_EMAIL_NOT_VERIFIED',
  OAUTH_ACCOUNT_INACTIVE: 'OAUTH_ACCOUNT_INACTIVE',
  OAUTH_CODE_INVALID: 'OAUTH_CODE_INVALID',
  OAUTH_LAST_SIGN_IN_METHOD: 'OAUTH_LAST_SIGN_IN_METHOD',
  // Anything else
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const CODES = new Set<unknown>(Object.values(ErrorCode));
/** Whether an extensions.code is one the ErrorCode enum lists. */
export const isErrorCode = (code: unknown): code is ErrorCode => CODES.has(code);

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** More for the client, beside the code (a reason, the field at fault, a retry delay). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'Not found.') => new AppError(ErrorCode.NOT_FOUND, what);
/** The signed-in account was deleted while the request ran: as if its token had been revoked. */
export const accountGone = () =>
  new AppError(ErrorCode.UNAUTHENTICATED, 'Your account no longer exists. Sign in to do this.');
export const badInput = (message: string, extensions?: Record<string, unknown>) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, extensions);
/** A dependency (the database, Redis) cannot be reached: HTTP 503 with Retry-After, nothing was done. */
export const serviceUnavailable = (dependency: string, retryAfterSeconds = 5) =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, `The ${dependency} is not reachable right now. Try again shortly.`, {
    dependency,
    retryAfterSeconds,
  });
export const storageUnavailable = () =>
  new AppError(ErrorCode.STORAGE_UNAVAILABLE, 'The media storage is not available right now. Try again later.');

/** A failed system call on a file (EACCES, EPERM, EROFS, ENOSPC, EDQUOT, EIO...): the disk, not the client. */
export function isFilesystemError(error: unknown): error is NodeJS.ErrnoException {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && typeof syscall === 'string';
}
