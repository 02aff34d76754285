// The key a client address is counted under by every per-IP limit. An IPv4 address is scarce, and is
// counted as it is. An IPv6 client is handed a whole /64 (SLAAC lets a host take any address in it,
// privacy extensions rotate them), so counting each address alone gave one client 2^64 fresh counts:
// 25 of 25 registrations from one /64 passed a limit of 20. IPv6 clients are counted by their /64.
import { isIPv4, isIPv6 } from 'node:net';

/** `203.0.113.7` as is; `::ffff:203.0.113.7` as `203.0.113.7`; `2001:db8:1:2:a:b:c:d` as `2001:db8:1:2::/64`. */
export function clientKeyOf(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const groups = hextetsOf(ip);
  // IPv4-mapped (::ffff:a.b.c.d): an IPv4 client reaching a dual-stack socket.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, `::` expanded, a zone (%eth0) dropped. */
function hextetsOf(ip: string): number[] {
  let text = ip.split('%')[0] ?? ip;
  // A trailing dotted quad (::ffff:1.2.3.4) is the last two groups.
  const tail = text.slice(text.lastIndexOf(':') + 1);
  if (isIPv4(tail)) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, text.length - tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  return [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
}
