// The key per-IP limits count a client under: IPv4 as it is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64.

import { describe, expect, it } from 'vitest';
import { clientKeyOf } from '../../src/infra/rate-limits/client-key.ts';

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
