/**
 * The outbound address policy: which resolved addresses the gateway may open a connection to.
 *
 * - Cloud metadata, link-local, unspecified and reserved addresses are always refused.
 * - Loopback and private networks are allowed for operator-trusted URLs (the config file's
 *   providers, alert destinations, tracing exporters) under `privateNetworks: allow`, the
 *   default; under `allowlist` (and always for URLs that come from outside the config file,
 *   STRICT_POLICY) only public addresses pass.
 * - `allowPrivateHosts` lists host names, addresses and CIDRs that pass whatever their class:
 *   the operator's explicit word, e.g. a local vLLM or a proxy on a link-local address.
 *
 * Decisions are pure functions of (policy, host name, address); connecting and resolving live in
 * guarded-connect.ts. The `key` lets callers share one connection pool per distinct policy.
 */
import { classifyAddress, inCidr, parseCidr, type AddressClass, type Cidr } from './address-ranges.js';
import { formatIp, parseIpLiteral, type IpAddress } from './ip-literal.js';

export interface SecurityConfig {
  privateNetworks: 'allow' | 'allowlist';
  allowPrivateHosts: readonly string[];
}

export interface AddressPolicy {
  readonly key: string;
  readonly privateNetworks: 'allow' | 'allowlist';
  /** Normalized host names (an array: the runtime config is deeply frozen, a Set cannot be). */
  readonly hosts: readonly string[];
  readonly ranges: readonly Cidr[];
}

/** Refusals carry this code through undici so the upstream client can name them. */
export const TARGET_FORBIDDEN = 'ERR_TOLLGATE_TARGET_FORBIDDEN';

export class TargetForbiddenError extends Error {
  readonly code = TARGET_FORBIDDEN;
  constructor(readonly host: string, readonly reason: string) {
    super(`outbound connection to "${host}" refused: ${reason}`);
    this.name = 'TargetForbiddenError';
  }
}

/** Lower case, no brackets, no trailing dots: "LOCALHOST." and "localhost" are one host. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.replace(/\.+$/, '');
}

export function compileAddressPolicy(cfg: SecurityConfig): AddressPolicy {
  const hosts: string[] = [];
  const ranges: Cidr[] = [];
  for (const entry of cfg.allowPrivateHosts) {
    const range = parseCidr(entry.trim());
    if (range) ranges.push(range);
    else hosts.push(normalizeHost(entry));
  }
  const key = JSON.stringify([cfg.privateNetworks, [...cfg.allowPrivateHosts].sort()]);
  return Object.freeze({ key, privateNetworks: cfg.privateNetworks, hosts: Object.freeze(hosts), ranges: Object.freeze(ranges) });
}

/** The default for config-file URLs: private networks reachable, metadata and link-local not. */
export const OPERATOR_POLICY = compileAddressPolicy({ privateNetworks: 'allow', allowPrivateHosts: [] });
/** For URLs from outside the config file (none today): public addresses only. */
export const STRICT_POLICY = compileAddressPolicy({ privateNetworks: 'allowlist', allowPrivateHosts: [] });

const ALWAYS_REFUSED: ReadonlySet<AddressClass> = new Set(['metadata', 'link-local', 'reserved']);

/** Why a connection from host name `host` to address `ip` is refused, or undefined when allowed. */
export function refusalReason(policy: AddressPolicy, host: string, ip: IpAddress): string | undefined {
  const cls = classifyAddress(ip);
  if (cls === 'public') return undefined;
  if (policy.hosts.includes(normalizeHost(host)) || policy.ranges.some((r) => inCidr(ip, r))) return undefined;
  if (ALWAYS_REFUSED.has(cls)) return `${formatIp(ip)} is a ${cls} address`;
  if (policy.privateNetworks === 'allow') return undefined;
  return `${formatIp(ip)} is a ${cls} address not listed in security.allowPrivateHosts`;
}

/**
 * Checks what can be checked before any DNS: the scheme, and the host when it is an address
 * literal in any spelling. Names are judged again at connect time on what they resolve to.
 */
export function checkOutboundUrl(url: string | URL, policy: AddressPolicy): URL {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw new TargetForbiddenError(String(url).slice(0, 100), 'not a valid URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TargetForbiddenError(u.host, `scheme ${u.protocol} is not http or https`);
  const ip = parseIpLiteral(u.hostname);
  const reason = ip && refusalReason(policy, u.hostname, ip);
  if (reason) throw new TargetForbiddenError(u.hostname, reason);
  return u;
}
