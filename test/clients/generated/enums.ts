/** How a session's token travels between the client and this API. */
export const AuthTransport = {
  /** A token the client sends as "Authorization: Bearer <token>", with a refresh token to renew it: apps, and scripts. */
  BEARER: 'BEARER',
  /** An HttpOnly cookie the browser keeps and sends, out of reach of scripts: web frontends. Requests it signs must come from an allowed origin (CSRF). */
  COOKIE: 'COOKIE'
} as const;

export type AuthTransport = typeof AuthTransport[keyof typeof AuthTransport];
/** Every extensions.code this API answers with, HTTP-level answers included. */
export const ErrorCode = {
  /** The HTTP request is malformed: a body that is not JSON, no query, a broken multipart body, GET parameters that are not JSON, variables or extensions nested over 64 levels deep (HTTP 400). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** An argument is invalid (extensions.field names it), a cursor is malformed, or the query is over the depth, alias, token or cost limits. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** A multipart or form POST without an apollo-require-preflight header (HTTP 403). */
  CSRF_HEADER_REQUIRED: 'CSRF_HEADER_REQUIRED',
  /** A request signed by the session cookie from a page whose Origin (or Referer) is not in CORS_ORIGINS, or a mutation signed by the cookie (or asking for one) without a preflight header; nothing ran (HTTP 403). */
  CSRF_REJECTED: 'CSRF_REJECTED',
  /** The database stayed locked too long; nothing was written. Try again. */
  DATABASE_BUSY: 'DATABASE_BUSY',
  /** The password is wrong. */
  DELETE_USER_INVALID_PASSWORD: 'DELETE_USER_INVALID_PASSWORD',
  /** Signed in, but not allowed (someone else's post, a superuser's operation, following, liking or commenting across a block). */
  FORBIDDEN: 'FORBIDDEN',
  /** The query is not valid GraphQL syntax. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** The query does not fit the schema (an unknown field, a wrong argument type). */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** Anything unexpected. The server logged it with the request id (the x-request-id header). */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** Unknown email, wrong password or inactive account (indistinguishable on purpose). */
  LOGIN_BAD_CREDENTIALS: 'LOGIN_BAD_CREDENTIALS',
  /** The email is not verified, and this server requires it to sign in. */
  LOGIN_USER_NOT_VERIFIED: 'LOGIN_USER_NOT_VERIFIED',
  /** The Accept header allows no JSON answer (HTTP 406). */
  NOT_ACCEPTABLE: 'NOT_ACCEPTABLE',
  /** No such object, or an id that is no id. */
  NOT_FOUND: 'NOT_FOUND',
  /** The account this provider sign-in belongs to is deactivated (oauth_error, or completeOAuthSignIn). */
  OAUTH_ACCOUNT_INACTIVE: 'OAUTH_ACCOUNT_INACTIVE',
  /** completeOAuthSignIn: the one-time code is unknown, used already or older than 60 seconds. Sign in with the provider again. */
  OAUTH_CODE_INVALID: 'OAUTH_CODE_INVALID',
  /** The provider did not say it verified the email of this account, so it is neither linked to an account with that email nor used for a new one (oauth_error). */
  OAUTH_EMAIL_NOT_VERIFIED: 'OAUTH_EMAIL_NOT_VERIFIED',
  /** unlinkProvider would leave the account no way to sign in (no password of its own, no other provider): set a password first. */
  OAUTH_LAST_SIGN_IN_METHOD: 'OAUTH_LAST_SIGN_IN_METHOD',
  /** The provider refused the sign-in, was down or slower than OAUTH_TIMEOUT_MS, or answered something invalid (a code used twice, a bad ID token) (oauth_error). */
  OAUTH_PROVIDER_ERROR: 'OAUTH_PROVIDER_ERROR',
  /** The OAuth callback came without the state this browser started with, or with one used already or older than 10 minutes (oauth_error). Sign in with the provider again. */
  OAUTH_STATE_INVALID: 'OAUTH_STATE_INVALID',
  /** The document has several operations and operationName names none of them, or is missing (HTTP 400). */
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  /** An upload over MAX_UPLOAD_BYTES, or another body over MAX_JSON_BYTES (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Too many failed sign-ins, sign-ins to one account, password checks at once from one client, registrations or uploads, or the daily upload quota is used up; extensions.retryAfterSeconds says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The refresh token is unknown, expired, revoked or used already. A token presented a second time ends its whole session (reuse detection): sign in again. */
  REFRESH_TOKEN_INVALID: 'REFRESH_TOKEN_INVALID',
  /** The password is too short, too long or contains the email; extensions.reason says which. */
  REGISTER_INVALID_PASSWORD: 'REGISTER_INVALID_PASSWORD',
  /** The email or username is taken (case-insensitive). */
  REGISTER_USER_ALREADY_EXISTS: 'REGISTER_USER_ALREADY_EXISTS',
  /** The request body took longer than the server waits for it (UPLOAD_TIMEOUT_SECONDS for uploads); nothing was kept. */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  /** The reset link is invalid, expired, or was made before the password or the email last changed. */
  RESET_PASSWORD_BAD_TOKEN: 'RESET_PASSWORD_BAD_TOKEN',
  /** The new password is not acceptable; extensions.reason says why. */
  RESET_PASSWORD_INVALID_PASSWORD: 'RESET_PASSWORD_INVALID_PASSWORD',
  /** A dependency of the server (extensions.dependency: the database, Redis) is unreachable; nothing was done. HTTP 503 with Retry-After. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The media storage failed; nothing was kept. Try again later. */
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  /** No valid token: missing, expired, revoked, tampered with, or its user deactivated or deleted (also while the request ran). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The request body is neither JSON nor multipart (HTTP 415). */
  UNSUPPORTED_CONTENT_TYPE: 'UNSUPPORTED_CONTENT_TYPE',
  /** The upload is not an image or video this API accepts (extensions.accepted lists them). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** Another account has this email. */
  UPDATE_USER_EMAIL_ALREADY_EXISTS: 'UPDATE_USER_EMAIL_ALREADY_EXISTS',
  /** The current password is missing or wrong, or the new one is not acceptable. */
  UPDATE_USER_INVALID_PASSWORD: 'UPDATE_USER_INVALID_PASSWORD',
  /** Another account has this username. */
  UPDATE_USER_USERNAME_ALREADY_EXISTS: 'UPDATE_USER_USERNAME_ALREADY_EXISTS',
  /** The email is already verified. */
  VERIFY_USER_ALREADY_VERIFIED: 'VERIFY_USER_ALREADY_VERIFIED',
  /** The verification link is invalid, expired, or for an email that has changed since. */
  VERIFY_USER_BAD_TOKEN: 'VERIFY_USER_BAD_TOKEN'
} as const;

export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode];
/** What an upload turned out to be, decided from its bytes. */
export const FileType = {
  IMAGE: 'IMAGE',
  VIDEO: 'VIDEO'
} as const;

export type FileType = typeof FileType[keyof typeof FileType];
/** What a moderator decides about a reported target. */
export const ModerationAction = {
  /** Deactivates the author of the post or comment (or the reported account) and signs them out everywhere; the target stays hidden. */
  DEACTIVATE_AUTHOR: 'DEACTIVATE_AUTHOR',
  /** Closes the reports and shows the target again. */
  DISMISS: 'DISMISS',
  /** Deletes the post or comment (its media included), or deactivates the reported account. */
  REMOVE: 'REMOVE'
} as const;

export type ModerationAction = typeof ModerationAction[keyof typeof ModerationAction];
/** What a notification is about. */
export const NotificationKind = {
  /** Someone commented on a post of the viewer. */
  COMMENT: 'COMMENT',
  /** Someone followed the viewer. */
  FOLLOW: 'FOLLOW',
  /** Someone liked a post of the viewer. */
  LIKE: 'LIKE'
} as const;

export type NotificationKind = typeof NotificationKind[keyof typeof NotificationKind];
/** Why something is reported. */
export const ReportReason = {
  /** Harassment or bullying. */
  HARASSMENT: 'HARASSMENT',
  /** Hate speech or symbols. */
  HATE: 'HATE',
  /** Something illegal (sale of drugs or weapons, for instance). */
  ILLEGAL: 'ILLEGAL',
  /** Nudity or sexual content. */
  NUDITY: 'NUDITY',
  /** Anything else; the note says what. */
  OTHER: 'OTHER',
  /** Suicide, self-injury or eating disorders. */
  SELF_HARM: 'SELF_HARM',
  /** Spam, scams or misleading content. */
  SPAM: 'SPAM',
  /** Violence or threats of it. */
  VIOLENCE: 'VIOLENCE'
} as const;

export type ReportReason = typeof ReportReason[keyof typeof ReportReason];