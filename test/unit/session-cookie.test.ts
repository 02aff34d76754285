// The session cookie's rules in tables: the Cookie header parsed, where a request's session comes
// from, which pages may use the cookie, and the Set-Cookie lines (src/http/session-cookie.ts).
import { describe, expect, it } from 'vitest';
import {
  clearedSessionCookieLine,
  originTrusted,
  parseCookies,
  sessionCookieLine,
  sessionTokenOf,
} from '../../src/http/session-cookie.ts';

const settings = { name: 'sid', domain: null, secure: false };
const headersOf =
  (headers: Record<string, string>) =>
  (name: string): string | undefined =>
    headers[name];

describe('parseCookies', () => {
  it.each([
    [undefined, {}],
    ['', {}],
    ['sid=abc', { sid: 'abc' }],
    ['a=1; sid=abc; b=2', { a: '1', sid: 'abc', b: '2' }],
    ['  sid = abc  ;b=2', { sid: 'abc', b: '2' }],
    // The first of two with one name wins: browsers send the most specific first.
    ['sid=first; sid=second', { sid: 'first' }],
    ['sid="quoted"', { sid: 'quoted' }],
    ['sid=a%20b', { sid: 'a b' }],
    // Not percent-encoding: kept as sent.
    ['sid=100%', { sid: '100%' }],
    ['sid=a=b=c', { sid: 'a=b=c' }],
    ['novalue; =nameless; sid=ok', { sid: 'ok' }],
    ['sid=', { sid: '' }],
  ])('%j is %j', (header, expected) => {
    expect(Object.fromEntries(parseCookies(header))).toEqual(expected);
  });
});

describe('sessionTokenOf', () => {
  it.each([
    [{}, null],
    [{ cookie: 'sid=c' }, { token: 'c', source: 'cookie' }],
    [{ cookie: 'other=c' }, null],
    [{ cookie: 'sid=' }, null],
    [{ authorization: 'Bearer h' }, { token: 'h', source: 'header' }],
    [{ authorization: 'bearer   h ' }, { token: 'h', source: 'header' }],
    [
      { authorization: 'Bearer h', cookie: 'sid=c' },
      { token: 'h', source: 'header' },
    ],
    // A header that is no bearer token signs nothing; the cookie does not step in.
    [{ authorization: 'Basic xyz', cookie: 'sid=c' }, null],
    [{ authorization: 'Bearer', cookie: 'sid=c' }, null],
  ])('%j gives %j', (headers, expected) => {
    expect(sessionTokenOf(headersOf(headers), settings)).toEqual(expected);
  });
});

describe('originTrusted', () => {
  const rule = { allowed: ['https://app.example.com'], ownOrigin: 'https://api.example.com' };
  it.each([
    [{}, true],
    [{ origin: 'https://app.example.com' }, true],
    [{ origin: 'https://api.example.com' }, true],
    [{ origin: 'https://evil.example' }, false],
    [{ origin: 'http://app.example.com' }, false],
    [{ origin: 'https://app.example.com:8443' }, false],
    [{ origin: 'null' }, false],
    [{ origin: 'https://evil.example', referer: 'https://app.example.com/x' }, false],
    [{ referer: 'https://app.example.com/feed?x=1' }, true],
    [{ referer: 'https://evil.example/' }, false],
    [{ referer: 'garbage' }, false],
    // The Host it was sent to, whatever the scheme (a dev server proxying /graphql keeps the page's Host).
    [{ origin: 'http://localhost:5173', host: 'localhost:5173' }, true],
    [{ origin: 'http://localhost:5173', host: 'LOCALHOST:5173' }, true],
    [{ origin: 'http://localhost:5173', host: 'localhost:4000' }, false],
  ])('%j is %s', (headers, expected) => {
    expect(originTrusted(headersOf(headers), rule)).toBe(expected);
  });

  it('trusts no other origin when CORS_ORIGINS is *', () => {
    const open = { allowed: '*' as const, ownOrigin: 'http://localhost:4000' };
    expect(originTrusted(headersOf({ origin: 'http://localhost:5173' }), open)).toBe(false);
    expect(originTrusted(headersOf({ origin: 'http://localhost:4000' }), open)).toBe(true);
  });
});

describe('Set-Cookie lines', () => {
  it('carries the attributes the issue asks for, Secure and Domain when configured', () => {
    const expires = new Date(Date.now() + 3600_000);
    expect(sessionCookieLine(settings, 'tok', expires)).toMatch(
      /^sid=tok; Max-Age=(3599|3600); Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const production = { name: 'sid', domain: 'example.com', secure: true };
    expect(sessionCookieLine(production, 'tok', expires)).toMatch(
      /^sid=tok; Max-Age=\d+; Path=\/; Domain=example\.com; HttpOnly; SameSite=Lax; Secure$/,
    );
    expect(clearedSessionCookieLine(production)).toBe(
      'sid=; Max-Age=0; Path=/; Domain=example.com; HttpOnly; SameSite=Lax; Secure',
    );
    // Never a negative Max-Age.
    expect(sessionCookieLine(settings, 'tok', new Date(Date.now() - 1000))).toContain('Max-Age=0;');
  });
});
