/**
 * Sorts an IP address into the class the outbound policy reasons about: cloud metadata
 * endpoints, link-local, loopback, private networks, unspecified/reserved, or public. IPv6 forms
 * that carry an IPv4 address (NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the address they
 * carry. It knows nothing about allowlists or which URLs are trusted (address-policy.ts does).
 */
import { parseIpLiteral, type IpAddress } from './ip-literal.js';

export type AddressClass = 'metadata' | 'link-local' | 'loopback' | 'private' | 'reserved' | 'public';

export interface Cidr {
  readonly ip: IpAddress;
  readonly prefix: number;
}

/** "10.0.0.0/8", "fd00::/8" or a bare address (a /32 or /128); undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const ip = parseIpLiteral(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  if (slash < 0) return { ip, prefix: max };
  const tail = text.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(tail) ? Number(tail) : NaN;
  // "::ffff:10.0.0.0/104" reaches here as IPv4: its prefix counts the 96 mapped bits too.
  const adjusted = ip.family === 4 && text.includes(':') ? prefix - 96 : prefix;
  return adjusted >= 0 && adjusted <= max ? { ip, prefix: adjusted } : undefined;
}

export function inCidr(ip: IpAddress, range: Cidr): boolean {
  if (ip.family !== range.ip.family) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip.bytes[i] & mask) !== (range.ip.bytes[i] & mask)) return false;
  }
  return true;
}

function table(entries: Record<string, AddressClass>): Array<[Cidr, AddressClass]> {
  return Object.entries(entries).map(([text, cls]) => [parseCidr(text) as Cidr, cls]);
}

/** Checked in order: the specific metadata addresses sit inside broader private ranges. */
const RANGES = table({
  '169.254.169.254/32': 'metadata', // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
  '169.254.170.2/32': 'metadata', // AWS ECS task credentials
  '100.100.100.200/32': 'metadata', // Alibaba Cloud
  '168.63.129.16/32': 'metadata', // Azure wire server
  'fd00:ec2::254/128': 'metadata', // AWS IMDS over IPv6
  '0.0.0.0/8': 'reserved', // "this network": 0.0.0.0 reaches the local host on Linux
  '127.0.0.0/8': 'loopback',
  '169.254.0.0/16': 'link-local',
  '10.0.0.0/8': 'private',
  '172.16.0.0/12': 'private',
  '192.168.0.0/16': 'private',
  '100.64.0.0/10': 'private', // carrier-grade NAT, also cloud-internal
  '192.0.0.0/24': 'reserved',
  '198.18.0.0/15': 'private', // benchmarking networks, used inside data centres
  '224.0.0.0/4': 'reserved', // multicast
  '240.0.0.0/4': 'reserved', // reserved and broadcast
  '::/128': 'reserved',
  '::1/128': 'loopback',
  '::/96': 'reserved', // deprecated IPv4-compatible addresses
  'fe80::/10': 'link-local',
  'fec0::/10': 'private', // deprecated site-local
  'fc00::/7': 'private', // unique local
  'ff00::/8': 'reserved', // multicast
});

const NAT64 = parseCidr('64:ff9b::/96') as Cidr;
const SIX_TO_FOUR = parseCidr('2002::/16') as Cidr;

/** The IPv4 address an IPv6 translation prefix carries, if any. */
function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (inCidr(ip, NAT64)) return { family: 4, bytes: ip.bytes.slice(12) };
  if (inCidr(ip, SIX_TO_FOUR)) return { family: 4, bytes: ip.bytes.slice(2, 6) };
  return undefined;
}

export function classifyAddress(ip: IpAddress): AddressClass {
  const carried = ip.family === 6 ? embeddedIpv4(ip) : undefined;
  if (carried) return classifyAddress(carried);
  for (const [range, cls] of RANGES) if (inCidr(ip, range)) return cls;
  return 'public';
}
