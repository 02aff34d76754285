// The small rules that decide an answer, each with its edge cases in a table: byte ranges, cursors,
// passwords and identities, retry backoff, client IPs and the keys per-IP limits count them under.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/db/keyset.ts';
import { clientIpOf } from '../../src/http/client-ip.ts';
import { parseRange } from '../../src/http/media.ts';
import { retryDelay } from '../../src/infra/jobs/file-removals.ts';
import { passwordProblem } from '../../src/infra/passwords.ts';
import { clientKeyOf } from '../../src/infra/rate-limits/client-key.ts';
import { parseEmail, parseUsername } from '../../src/services/accounts/identity.ts';

describe('parseRange', () => {
  it.each([
    [undefined, 100, null],
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['bytes=50-5000', 100, { start: 50, end: 99 }],
    ['bytes=100-', 100, 'invalid'],
    ['bytes=20-10', 100, 'invalid'],
    ['bytes=-', 100, 'invalid'],
    // Several ranges, or other units: the whole file may be served (RFC 9110 §14.2).
    ['bytes=0-1,5-6', 100, null],
    ['items=0-1', 100, null],
  ] as const)('%s of %d bytes is %j', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('cursors', () => {
  const position = { createdAt: new Date('2026-11-29T10:00:00.123Z'), id: '6f1d2a5e-0c3b-4c1e-9d7a-2b8f4e6a1c90' };

  it('round-trip a position', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    ['empty', ''],
    ['not base64url of anything sensible', '!!!!'],
    ['without an id', Buffer.from('2026-11-29T10:00:00.123Z').toString('base64url')],
    ['with an id that is no UUID', Buffer.from('2026-11-29T10:00:00.123Z|42').toString('base64url')],
    ['with a date that does not round-trip', Buffer.from(`2026-11-29|${position.id}`).toString('base64url')],
    ['with extra parts', Buffer.from(`2026-11-29T10:00:00.123Z|${position.id}|x`).toString('base64url')],
    ['an offset cursor', Buffer.from('OffsetConnection:10').toString('base64')],
  ])('refuse one %s with BAD_USER_INPUT', (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('passwordProblem', () => {
  it.each([
    ['long enough password', 'ada@example.com', null],
    ['short', 'ada@example.com', /at least 8/],
    ['x'.repeat(73), 'ada@example.com', /at most 72 bytes/],
    ['é'.repeat(37), 'ada@example.com', /at most 72 bytes/],
    ['my ADA@EXAMPLE.COM pass', 'ada@example.com', /e-mail/],
  ])('%s (email %s)', (password, email, expected) => {
    const problem = passwordProblem(password, email);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('parseEmail and parseUsername', () => {
  it.each([
    ['  Ada.Lovelace@Example.COM ', 'ada.lovelace@example.com'],
    ['a@b.co', 'a@b.co'],
    // One mailbox, one spelling: the domain as UTS-46 maps it, the whole address in NFC.
    ['ada@\uff45xample.com', 'ada@example.com'],
    ['ADA@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25\uff0e\uff23\uff2f\uff2d', 'ada@example.com'],
    ['ada@example\u3002com', 'ada@example.com'],
    ['ada@exampl\u0065\u0301.com', 'ada@exampl\u00e9.com'],
    ['ADA@EXAMPLE\u0301.COM', 'ada@exampl\u00e9.com'],
    ['ada@xn--exampl-gva.com', 'ada@exampl\u00e9.com'],
    ['e\u0301mile@example.com', '\u00e9mile@example.com'],
  ])('keep %j as %j', (input, stored) => {
    expect(parseEmail(input)).toBe(stored);
  });

  it.each([
    'no-at-sign',
    'two@@example.com',
    'no@dot',
    'spa ce@example.com',
    'zero\u200bwidth@example.com',
    'bell\u0007@example.com',
    `${'a'.repeat(250)}@x.io`,
    'x'.repeat(20_000_000),
    'ada@example.com.',
    'ada@example.com\uff0e',
    'ada@example..com',
    'ada@.example.com',
    'ada@exa%mple.com',
    'ada@xn--a.com',
    'ada@[127.0.0.1]',
  ])('refuse %j', (input) => {
    expect(() => parseEmail(input)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: { field: 'email' } }),
    );
  });

  it.each([
    ['Ada_L', 'ada_l'],
    ['a.b.c', 'a.b.c'],
  ])('keep username %j as %j', (input, stored) => {
    expect(parseUsername(input)).toBe(stored);
  });

  it.each(['ab', 'a'.repeat(31), 'with space', 'dash-ed', 'ümlaut'])('refuse username %j', (input) => {
    expect(() => parseUsername(input)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('retryDelay', () => {
  it.each([
    [0, 30_000],
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [10, 15_360_000],
    [11, 6 * 3600_000],
    [50, 6 * 3600_000],
  ])('after %d failures waits %d ms', (attempts, ms) => {
    expect(retryDelay(attempts, 30_000, 6 * 3600_000)).toBe(ms);
  });
});

describe('clientIpOf', () => {
  const request = (peer: string, forwarded?: string) =>
    ({
      headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
      socket: { remoteAddress: peer },
    }) as unknown as IncomingMessage;

  it.each([
    ['no trusted proxy: the socket', request('10.0.0.1', '1.2.3.4'), 0, '10.0.0.1'],
    ['one proxy: the entry it added', request('10.0.0.1', 'spoofed, 203.0.113.5'), 1, '203.0.113.5'],
    ['one proxy, no header: the socket', request('10.0.0.1'), 1, '10.0.0.1'],
    ['two proxies', request('10.0.0.2', 'spoofed, 203.0.113.5, 10.0.0.1'), 2, '203.0.113.5'],
    ['more hops trusted than present: the left-most', request('10.0.0.1', '203.0.113.5'), 5, '203.0.113.5'],
  ])('%s', (_label, req, hops, expected) => {
    expect(clientIpOf(req, hops)).toBe(expected);
  });
});

describe('clientKeyOf', () => {
  it.each([
    ['IPv4 as is', '203.0.113.5', '203.0.113.5'],
    ['IPv6: its /64', '2001:db8:1:2:a:b:c:d', '2001:db8:1:2::/64'],
    ['IPv6 with leading zeros and capitals', '2001:0DB8:0001:0002::1', '2001:db8:1:2::/64'],
    ['IPv6 compressed inside the /64', '2001:db8::1', '2001:db8:0:0::/64'],
    ['IPv6 compressed at the start', '::1', '0:0:0:0::/64'],
    ['IPv6 with a zone', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['IPv4-mapped, dotted', '::ffff:203.0.113.5', '203.0.113.5'],
    ['IPv4-mapped, in hex', '::ffff:cb00:7105', '203.0.113.5'],
    ['IPv6 ending in a dotted quad, not mapped', '64:ff9b::203.0.113.5', '64:ff9b:0:0::/64'],
    ['not an address: as is', 'unknown', 'unknown'],
  ])('%s', (_label, ip, expected) => {
    expect(clientKeyOf(ip)).toBe(expected);
  });
});
