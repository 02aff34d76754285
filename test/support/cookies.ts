// Cookie sessions as a browser holds them: the Set-Cookie lines of an answer read back, and a jar that
// keeps what a server sets and sends it back, for fetch-based clients (urql, Apollo) in Node.
import type { ResultOf } from '@graphql-typed-document-node/core';
import { LOGIN_COOKIE } from '../operations/sessions.ts';
import type { TestUser } from './accounts.ts';
import type { GqlResponse, TestServer } from './server.ts';
import { gqlTyped } from './typed.ts';

export const SESSION_COOKIE = 'photo_feed_session';

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lowercased; flags map to true. */
  attributes: Record<string, string | true>;
  line: string;
}

export function parseSetCookie(line: string): SetCookie {
  const [pair, ...rest] = line.split(';');
  const equals = pair!.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [key, ...value] = part.trim().split('=');
    attributes[key!.toLowerCase()] = value.length > 0 ? value.join('=') : true;
  }
  return { name: pair!.slice(0, equals).trim(), value: pair!.slice(equals + 1).trim(), attributes, line };
}

/** The Set-Cookie of the session cookie in an answer, if there is one. */
export function sessionSetCookie(headers: Headers, name = SESSION_COOKIE): SetCookie | undefined {
  return headers
    .getSetCookie()
    .map(parseSetCookie)
    .find((cookie) => cookie.name === name);
}

export { LOGIN_COOKIE };

/** A preflight header, as a frontend configured for this API sends with every request. */
export const PREFLIGHT = { 'apollo-require-preflight': 'true' };

/** Signs in with transport COOKIE; the answer and the `Cookie` header a browser would send back. */
export async function loginWithCookie(
  server: TestServer,
  user: Pick<TestUser, 'email' | 'password'>,
  headers: Record<string, string> = {},
): Promise<{ res: GqlResponse<ResultOf<typeof LOGIN_COOKIE>>; set: SetCookie; cookie: string }> {
  const res = await gqlTyped(server, LOGIN_COOKIE, { email: user.email, password: user.password }, null, {
    ...PREFLIGHT,
    ...headers,
  });
  const set = sessionSetCookie(res.headers);
  if (!set) throw new Error(`no session cookie set: ${JSON.stringify(res.body)}`);
  return { res, set, cookie: `${set.name}=${set.value}` };
}

/**
 * A cookie jar for one origin, enough for these tests: it keeps the cookies a server sets (dropping one
 * set with Max-Age=0) and sends them back. Wraps fetch, as an app would hand a client its fetch.
 */
export function cookieJar() {
  const cookies = new Map<string, string>();
  const fetchWithCookies: typeof fetch = async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const set of response.headers.getSetCookie().map(parseSetCookie)) {
      if (set.attributes['max-age'] === '0') cookies.delete(set.name);
      else cookies.set(set.name, set.value);
    }
    return response;
  };
  return { cookies, fetch: fetchWithCookies };
}
