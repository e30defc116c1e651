/**
 * The `security` section of tollgate.yaml: the outbound address policy's two knobs (see
 * address-policy.ts for what they mean). Entries of `allowPrivateHosts` are host names, IP
 * addresses or CIDR ranges; they are checked for shape here, not resolved.
 */
import { z } from 'zod';
import { parseCidr } from './address-ranges.js';

const HOST_NAME = /^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/i;

const allowEntry = z.string().trim().min(1).max(253).refine(
  (s) => parseCidr(s) !== undefined || (!s.includes('/') && HOST_NAME.test(s)),
  'must be a host name, an IP address or a CIDR range (10.0.0.0/8)',
);

export const securityConfigSchema = z.object({
  /** `allow`: config-file URLs may reach loopback and private networks; `allowlist`: only those listed. */
  privateNetworks: z.enum(['allow', 'allowlist']).default('allow'),
  /** Hosts, addresses and CIDRs always reachable, even link-local or metadata ones. */
  allowPrivateHosts: z.array(allowEntry).max(1000).default([]),
}).strict();
