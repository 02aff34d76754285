// The ErrorCode enum: every extensions.code the API answers with, so codegen'd clients get a type to
// switch on. Record<ErrorCode, ...> makes TypeScript refuse a code added to src/errors.ts without a
// line here; test/schema.test.ts holds the README's table to the same list.
import { builder } from '../builder.ts';
import type { ErrorCode } from '../errors.ts';

const MEANINGS: Record<ErrorCode, string> = {
  BAD_REQUEST:
    'The HTTP request is malformed: a body that is not JSON, no query, a broken multipart body, GET parameters that are not JSON, variables or extensions nested over 64 levels deep (HTTP 400).',
  GRAPHQL_PARSE_FAILED: 'The query is not valid GraphQL syntax.',
  GRAPHQL_VALIDATION_FAILED: 'The query does not fit the schema (an unknown field, a wrong argument type).',
  OPERATION_RESOLUTION_FAILURE:
    'The document has several operations and operationName names none of them, or is missing (HTTP 400).',
  BAD_USER_INPUT:
    'An argument is invalid (extensions.field names it), a cursor is malformed, or the query is over the depth, alias, token or cost limits.',
  CSRF_HEADER_REQUIRED: 'A multipart or form POST without an apollo-require-preflight header (HTTP 403).',
  CSRF_REJECTED:
    'A request signed by the session cookie from a page whose Origin (or Referer) is not in CORS_ORIGINS, or a mutation signed by the cookie (or asking for one) without a preflight header; nothing ran (HTTP 403).',
  PAYLOAD_TOO_LARGE: 'An upload over MAX_UPLOAD_BYTES, or another body over MAX_JSON_BYTES (HTTP 413).',
  UNSUPPORTED_CONTENT_TYPE: 'The request body is neither JSON nor multipart (HTTP 415).',
  NOT_ACCEPTABLE: 'The Accept header allows no JSON answer (HTTP 406).',
  RATE_LIMITED:
    'Too many failed sign-ins, sign-ins to one account, password checks at once from one client, registrations or uploads, or the daily upload quota is used up; extensions.retryAfterSeconds says when to try again.',
  UNAUTHENTICATED:
    'No valid token: missing, expired, revoked, tampered with, or its user deactivated or deleted (also while the request ran).',
  FORBIDDEN:
    "Signed in, but not allowed (someone else's post, a superuser's operation, following, liking or commenting across a block).",
  NOT_FOUND: 'No such object, or an id that is no id.',
  UNSUPPORTED_MEDIA_TYPE: 'The upload is not an image or video this API accepts (extensions.accepted lists them).',
  STORAGE_UNAVAILABLE: 'The media storage failed; nothing was kept. Try again later.',
  DATABASE_BUSY: 'The database stayed locked too long; nothing was written. Try again.',
  SERVICE_UNAVAILABLE:
    'A dependency of the server (extensions.dependency: the database, Redis) is unreachable; nothing was done. HTTP 503 with Retry-After.',
  REQUEST_TIMEOUT:
    'The request body took longer than the server waits for it (UPLOAD_TIMEOUT_SECONDS for uploads); nothing was kept.',
  REGISTER_USER_ALREADY_EXISTS: 'The email or username is taken (case-insensitive).',
  REGISTER_INVALID_PASSWORD: 'The password is too short, too long or contains the email; extensions.reason says which.',
  LOGIN_BAD_CREDENTIALS: 'Unknown email, wrong password or inactive account (indistinguishable on purpose).',
  LOGIN_USER_NOT_VERIFIED: 'The email is not verified, and this server requires it to sign in.',
  RESET_PASSWORD_BAD_TOKEN:
    'The reset link is invalid, expired, or was made before the password or the email last changed.',
  RESET_PASSWORD_INVALID_PASSWORD: 'The new password is not acceptable; extensions.reason says why.',
  VERIFY_USER_BAD_TOKEN: 'The verification link is invalid, expired, or for an email that has changed since.',
  VERIFY_USER_ALREADY_VERIFIED: 'The email is already verified.',
  UPDATE_USER_EMAIL_ALREADY_EXISTS: 'Another account has this email.',
  UPDATE_USER_USERNAME_ALREADY_EXISTS: 'Another account has this username.',
  UPDATE_USER_INVALID_PASSWORD: 'The current password is missing or wrong, or the new one is not acceptable.',
  DELETE_USER_INVALID_PASSWORD: 'The password is wrong.',
  REFRESH_TOKEN_INVALID:
    'The refresh token is unknown, expired, revoked or used already. A token presented a second time ends its whole session (reuse detection): sign in again.',
  OAUTH_STATE_INVALID:
    'The OAuth callback came without the state this browser started with, or with one used already or older than 10 minutes (oauth_error). Sign in with the provider again.',
  OAUTH_PROVIDER_ERROR:
    'The provider refused the sign-in, was down or slower than OAUTH_TIMEOUT_MS, or answered something invalid (a code used twice, a bad ID token) (oauth_error).',
  OAUTH_EMAIL_NOT_VERIFIED:
    'The provider did not say it verified the email of this account, so it is neither linked to an account with that email nor used for a new one (oauth_error).',
  OAUTH_ACCOUNT_INACTIVE:
    'The account this provider sign-in belongs to is deactivated (oauth_error, or completeOAuthSignIn).',
  OAUTH_CODE_INVALID:
    'completeOAuthSignIn: the one-time code is unknown, used already or older than 60 seconds. Sign in with the provider again.',
  OAUTH_LAST_SIGN_IN_METHOD:
    'unlinkProvider would leave the account no way to sign in (no password of its own, no other provider): set a password first.',
  INTERNAL_SERVER_ERROR: 'Anything unexpected. The server logged it with the request id (the x-request-id header).',
};

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'Every extensions.code this API answers with, HTTP-level answers included.',
  values: Object.fromEntries(Object.entries(MEANINGS).map(([code, description]) => [code, { description }])) as Record<
    ErrorCode,
    { description: string }
  >,
});
