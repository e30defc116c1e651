/**
 * Enforces the address policy where it matters: at connect time, on the addresses a name
 * actually resolved to (so DNS rebinding and names pointing at metadata endpoints are caught),
 * and on address literals, which never reach a resolver. Gives an undici connector and a
 * net-style `lookup` for other HTTP clients. A refusal fails before any socket is opened.
 *
 * It does not follow or refuse redirects (undici's dispatchers used here never follow them) and
 * does not decide policy (address-policy.ts).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { checkOutboundUrl, refusalReason, TargetForbiddenError, type AddressPolicy } from './address-policy.js';
import { parseIpLiteral } from './ip-literal.js';

export type Resolver = (hostname: string, options: LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, options, callback) => dnsLookup(hostname, options, callback);
let resolver: Resolver = systemResolver;

/** Tests only: answer name lookups without real DNS; `undefined` restores the system resolver. */
export function useResolverForTests(custom: Resolver | undefined): void {
  resolver = custom ?? systemResolver;
}

/** A net.connect `lookup` that resolves every address and refuses the host if any is forbidden. */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      // A name that mixes a forbidden address into its answers is refused whole: which one a
      // connection would use is not ours to predict.
      for (const a of addresses) {
        const ip = parseIpLiteral(a.address);
        const reason = ip ? refusalReason(policy, hostname, ip) : 'unreadable address';
        if (reason) return callback(new TargetForbiddenError(hostname, reason), '', 0);
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** An undici `connect` function: the stock connector behind the policy check. */
export function guardedConnector(policy: AddressPolicy, timeoutMs: number): buildConnector.connector {
  const stock = buildConnector({ timeout: timeoutMs, lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const ip = parseIpLiteral(opts.hostname);
    const reason = ip && refusalReason(policy, opts.hostname, ip);
    if (reason) {
      // Asynchronous like a real failed connect, so undici's bookkeeping sees the usual order.
      process.nextTick(callback, new TargetForbiddenError(opts.hostname, reason), null);
      return;
    }
    stock(opts, callback);
  };
}

/**
 * Options for a node:http(s) Agent (the OTLP exporters) sending to `url`: the literal check now,
 * the guarded lookup on every connection. Throws TargetForbiddenError for a refused literal.
 */
export function guardedAgentOptions(url: string, policy: AddressPolicy): { keepAlive: true; lookup: LookupFunction } {
  checkOutboundUrl(url, policy);
  return { keepAlive: true, lookup: guardedLookup(policy) };
}
