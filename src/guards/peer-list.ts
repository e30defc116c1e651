/**
 * A set of peers given as IPs or CIDRs (`server.trustedProxies`, `auth.trustedBackends`), and
 * the client IP rule built on it: the client is the socket's peer, unless that peer is a
 * trusted proxy, in which case the right-most X-Forwarded-For entry that is not itself a
 * trusted proxy is the client. Anything further left in the header was written by the client
 * and is never believed (S9).
 *
 * It does not resolve host names: only literal addresses are accepted.
 */
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

export interface PeerList {
  readonly empty: boolean;
  has(address: string | undefined): boolean;
}

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is compared as the IPv4 address it carries. */
export function normalizeAddress(address: string): string {
  const a = address.trim();
  return a.toLowerCase().startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/** Throws on an entry that is neither an IP nor a CIDR (config validation reports it). */
export function peerList(entries: readonly string[]): PeerList {
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, bits] = entry.split('/');
    const family = isIP(addr);
    const n = Number(bits);
    if (family === 0 || (bits !== undefined && (!/^\d+$/.test(bits) || n > (family === 6 ? 128 : 32)))) throw new Error(`"${entry}" is not an IP address or CIDR`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, n, type);
  }
  return Object.freeze<PeerList>({
    empty: entries.length === 0,
    has(address) {
      if (!address || entries.length === 0) return false;
      const a = normalizeAddress(address);
      const family = isIP(a);
      return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
    },
  });
}

/** The client's address under the trusted-proxy rule above. */
export function clientIp(req: IncomingMessage, proxies: PeerList): string {
  const peer = normalizeAddress(req.socket.remoteAddress ?? '');
  if (proxies.empty || !proxies.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((h) => normalizeAddress(h)).filter((h) => h.length > 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (isIP(hops[i]) === 0) return peer; // a malformed hop: stop believing the chain
    if (!proxies.has(hops[i])) return hops[i];
  }
  return hops[0] ?? peer;
}
