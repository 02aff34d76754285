// The session cookie, for every transport that takes it (GraphQL over HTTP, uploads, and later the
// live-updates stream): where a request's session comes from, the cookie's Set-Cookie lines, and the
// CSRF rule for the requests it signs (docs/decisions/0019-web-sessions-and-oauth.md).
//
// A browser attaches the cookie to requests other sites make it send, so a request signed by the cookie
// must show it comes from a page this API trusts: its Origin (or, without one, its Referer) must be in
// CORS_ORIGINS or be this API's own. A request with neither header comes from no cross-site page (curl,
// a same-site navigation). Mutations must also carry a preflight header (src/http/csrf.ts), which no
// form can send.
import type { AllowedOrigins } from './cors.ts';
import { hasPreflightHeader } from './csrf.ts';

export interface SessionCookieSettings {
  name: string;
  /** The Domain attribute, or null for a host-only cookie (the API's host alone). */
  domain: string | null;
  /** Sent over HTTPS only (production). */
  secure: boolean;
}

/** One request header by its lowercase name, from whichever request object the transport has. */
export type HeaderOf = (name: string) => string | null | undefined;

/** Reads headers of a Node request: repeated headers joined as Node joins them. */
export const nodeHeaders =
  (headers: Record<string, string | string[] | undefined>): HeaderOf =>
  (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
  };

/** Reads headers of a fetch Request. */
export const fetchHeaders =
  (headers: Headers): HeaderOf =>
  (name) =>
    headers.get(name);

/**
 * The cookies of a Cookie header, by name (RFC 6265 section 5.4: pairs separated by ";"). The first of
 * two with one name wins, as browsers send the most specific first. A value in quotes loses them, and a
 * percent-encoded one is decoded when it decodes.
 */
export function parseCookies(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0) continue;
    const name = pair.slice(0, equals).trim();
    if (!name || cookies.has(name)) continue;
    let value = pair.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not percent-encoding: the value as sent.
    }
    cookies.set(name, value);
  }
  return cookies;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export type SessionSource = 'header' | 'cookie';

/**
 * The session token a request carries, and where it came from: an Authorization header wins over the
 * cookie, so a request with both is signed by the header (and is no cookie request for CSRF).
 */
export function sessionTokenOf(
  header: HeaderOf,
  settings: SessionCookieSettings,
): { token: string; source: SessionSource } | null {
  const authorization = header('authorization');
  if (authorization) {
    const bearer = BEARER.exec(authorization)?.[1];
    // An Authorization header that is no bearer token signs nothing, and the cookie does not step in.
    return bearer ? { token: bearer, source: 'header' } : null;
  }
  const cookie = parseCookies(header('cookie')).get(settings.name);
  return cookie ? { token: cookie, source: 'cookie' } : null;
}

/** The origin of a URL, or null when it is none (a bad Referer, "null"). */
function originOf(url: string): string | null {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

export interface OriginRule {
  /** CORS_ORIGINS: only listed origins are trusted with the cookie; '*' lists none. */
  allowed: AllowedOrigins;
  /** This API's own origin (PUBLIC_URL's); the request's Host counts too, whatever the scheme. */
  ownOrigin: string;
}

/**
 * Whether the page that sent the request may use the session cookie: its Origin, else its Referer's
 * origin, is listed in CORS_ORIGINS or is this API's own; a request with neither passes.
 */
export function originTrusted(header: HeaderOf, { allowed, ownOrigin }: OriginRule): boolean {
  const claimed = header('origin') ?? header('referer');
  if (!claimed) return true;
  const origin = originOf(claimed);
  if (!origin) return false;
  if (origin === ownOrigin) return true;
  // Behind a proxy, the page may reach this API under the Host it sent (a dev server proxying /graphql).
  const host = header('host');
  if (host && new URL(origin).host === host.toLowerCase()) return true;
  return allowed !== '*' && allowed.includes(origin);
}

/** A request the session cookie signs, or would sign, that a page this API does not trust sent. */
export function refusesCookieRequest(header: HeaderOf, settings: SessionCookieSettings, rule: OriginRule): boolean {
  return sessionTokenOf(header, settings)?.source === 'cookie' && !originTrusted(header, rule);
}

/** Whether a mutation may act on (or set) the session cookie: a trusted page, and a preflight header. */
export const mutationMayUseCookie = (header: HeaderOf, rule: OriginRule) =>
  originTrusted(header, rule) && hasPreflightHeader(header);

export const CSRF_ORIGIN_MESSAGE =
  'This request carries the session cookie but comes from a page this API does not trust (its Origin or Referer is not in CORS_ORIGINS).';
export const CSRF_MUTATION_MESSAGE =
  'A mutation signed by the session cookie (or asking for one) must come from a trusted page and carry one of the headers apollo-require-preflight, x-apollo-operation-name, graphql-require-preflight.';

function attributes(settings: SessionCookieSettings, maxAgeSeconds: number): string {
  return [
    `Max-Age=${maxAgeSeconds}`,
    'Path=/',
    ...(settings.domain ? [`Domain=${settings.domain}`] : []),
    'HttpOnly',
    'SameSite=Lax',
    ...(settings.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The Set-Cookie line of a session token that stops working at `expiresAt`. */
export function sessionCookieLine(settings: SessionCookieSettings, token: string, expiresAt: Date): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return `${settings.name}=${token}; ${attributes(settings, maxAge)}`;
}

/** The Set-Cookie line that makes the browser drop the session cookie. */
export const clearedSessionCookieLine = (settings: SessionCookieSettings) =>
  `${settings.name}=; ${attributes(settings, 0)}`;
