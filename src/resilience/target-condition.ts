/**
 * Whether one route target may serve one request: its `when` conditions (tenant, operation,
 * metadata) and the data-sensitivity rule. Every condition a target specifies must match; a
 * target without conditions serves everyone. A condition that names something the request does
 * not carry (a tenant list when the request has no tenant) does not match, so conditions only
 * ever narrow who a target serves.
 *
 * `operation` here is the business operation label (`x-tollgate-operation`), not the API
 * endpoint: endpoint support is checked when the route is resolved.
 */
import { allowsUntrusted, type Sensitivity } from './sensitivity.js';

export interface TargetCondition {
  readonly tenants?: readonly string[];
  readonly operations?: readonly string[];
  /** Each key must be present in the request metadata with exactly this value. */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface RequestAttributes {
  readonly tenant: string | null;
  readonly operation: string | null;
  readonly metadata: Readonly<Record<string, string>> | null;
  readonly sensitivity: Sensitivity;
}

export interface ConditionalTarget {
  /** Whether the target's provider is marked `trusted: true` in config. */
  readonly providerTrusted: boolean;
  readonly when?: TargetCondition | undefined;
}

function listMatches(list: readonly string[] | undefined, value: string | null): boolean {
  return list === undefined || (value !== null && list.includes(value));
}

function metadataMatches(wanted: Readonly<Record<string, string>> | undefined, have: Readonly<Record<string, string>> | null): boolean {
  if (wanted === undefined) return true;
  for (const [key, value] of Object.entries(wanted)) {
    if (!have || !Object.hasOwn(have, key) || have[key] !== value) return false;
  }
  return true;
}

export function targetAllowed(target: ConditionalTarget, request: RequestAttributes): boolean {
  if (!target.providerTrusted && !allowsUntrusted(request.sensitivity)) return false;
  const when = target.when;
  if (!when) return true;
  return listMatches(when.tenants, request.tenant)
    && listMatches(when.operations, request.operation)
    && metadataMatches(when.metadata, request.metadata);
}
