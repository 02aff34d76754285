// The rules that read an HTTP request: byte ranges of /media requests, and the client's IP behind proxies.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIpOf } from '../../src/http/client-ip.ts';
import { parseRange } from '../../src/http/media.ts';

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
