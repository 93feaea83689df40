import { isIPv4, isIPv6 } from 'node:net';

/**
 * The per-IP rate-limit key of a client address. An IPv6 client is usually given a whole /64 (one
 * home, one VM), so counting full addresses would let it pick a fresh bucket for every attempt
 * out of 2^64: IPv6 addresses count by their /64 prefix (`2001:db8:0:1::/64`). An IPv4-mapped IPv6
 * address (`::ffff:192.0.2.1`, how a dual-stack socket shows an IPv4 peer) counts as that IPv4
 * address, so one client has one key whichever way it connects. Anything that is not an address
 * (`unknown`) is its own key.
 */
export function ipBucketKey(ip: string): string {
  const address = ip.trim();
  if (isIPv4(address)) return address;
  // A zone index (`fe80::1%eth0`) names the interface, not the peer.
  const withoutZone = address.split('%')[0] ?? address;
  if (!isIPv6(withoutZone)) return address;
  const groups = ipv6Groups(withoutZone);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address: `::` expanded, a dotted IPv4 tail as two groups. */
export function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const gap = text.indexOf('::');
  if (gap < 0) return parse(text);
  const head = parse(text.slice(0, gap));
  const tail = parse(text.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
