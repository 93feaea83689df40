import { ipBucketKey, ipv6Groups } from './ip-bucket';

describe('ipBucketKey', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['127.0.0.1', '127.0.0.1'],
    // IPv4-mapped IPv6: the IPv4 address, dotted or in hex.
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['::FFFF:198.51.100.7', '198.51.100.7'],
    ['::ffff:c633:6407', '198.51.100.7'],
    ['0:0:0:0:0:ffff:c633:6407', '198.51.100.7'],
    // IPv6: the /64, whatever the interface part.
    ['2001:db8:1:2::a', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0000:0000:0000:0001', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8::1:2:3:4', '2001:db8:0:0::/64'],
    ['2001:db8:1::2:3:4:5', '2001:db8:1:0::/64'],
    ['2001:db8:1:2:3::', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    // Not mapped (NAT64 and the old IPv4-compatible form): IPv6 like any other.
    ['64:ff9b::198.51.100.7', '64:ff9b:0:0::/64'],
    ['::198.51.100.7', '0:0:0:0::/64'],
    // Not an address: kept as it is.
    ['unknown', 'unknown'],
    ['1::2::3', '1::2::3'],
  ])('keys %s as %s', (ip, key) => {
    expect(ipBucketKey(ip)).toBe(key);
  });

  it('gives every address of one /64 the same key, and the next /64 another', () => {
    const keys = new Set(['2001:db8:5:6::1', '2001:db8:5:6:8000::', '2001:db8:5:6:1:2:3:4'].map(ipBucketKey));
    expect([...keys]).toEqual(['2001:db8:5:6::/64']);
    expect(ipBucketKey('2001:db8:5:7::1')).not.toBe(ipBucketKey('2001:db8:5:6::1'));
  });
});

describe('ipv6Groups', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['1:2:3::6:7:8', [1, 2, 3, 0, 0, 6, 7, 8]],
    ['1:2:3:4:5:6::8', [1, 2, 3, 4, 5, 6, 0, 8]],
    ['::ffff:1.2.3.4', [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]],
    ['1:2:3:4:5:6:1.2.3.4', [1, 2, 3, 4, 5, 6, 0x0102, 0x0304]],
  ])('expands %s', (address, groups) => {
    expect(ipv6Groups(address)).toEqual(groups);
  });
});
