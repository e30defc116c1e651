/**
 * Sends one active health probe: the adapter's pure `probeRequest` (a model list), through the
 * same SSRF-guarded upstream client and address policy as real calls, bounded by the probe's
 * timeout for connecting, the headers and the body alike. A 2xx answer is up (its body is
 * discarded unread); anything else is down with the catalogue code the adapter maps it to, so
 * /health says `upstream_auth_failed` or `upstream_server_error` as a real call would.
 *
 * It measures latency to the response headers and never throws: every failure is an outcome.
 */
import type { RuntimeProvider } from '../config/compile.js';
import { toGatewayError } from '../errors/gateway-error.js';
import type { AddressPolicy } from '../security/address-policy.js';
import type { AbortSwitch } from '../upstream/abort-switch.js';
import { readBody, sendUpstream, type UpstreamCall } from '../upstream/upstream-client.js';
import type { ProbeOutcome } from './provider-prober.js';

/** Enough of an error body to read the provider's error code; probes never need more. */
const MAX_ERROR_BODY = 64 * 1024;

export async function probeProvider(provider: RuntimeProvider, timeoutMs: number, policy: AddressPolicy, abort: AbortSwitch): Promise<ProbeOutcome> {
  const started = performance.now();
  const deadline = setTimeout(() => abort.abort('deadline'), timeoutMs);
  deadline.unref();
  const call: UpstreamCall = { abort, timeouts: { connectMs: timeoutMs, firstByteMs: timeoutMs, idleMs: timeoutMs }, addressPolicy: policy };
  try {
    const res = await sendUpstream(provider.adapter.probeRequest(provider.settings), call);
    const latencyMs = performance.now() - started;
    if (res.statusCode >= 200 && res.statusCode < 300) {
      await res.body.dump().catch(() => undefined);
      return { ok: true, latencyMs };
    }
    const text = (await readBody(res.body, MAX_ERROR_BODY, call).catch(() => Buffer.alloc(0))).toString('utf8');
    const err = provider.adapter.translateError({ status: res.statusCode, headers: res.headers, bodyText: text });
    return { ok: false, latencyMs, errorCode: err.code };
  } catch (err) {
    return { ok: false, latencyMs: performance.now() - started, errorCode: toGatewayError(err).code };
  } finally {
    clearTimeout(deadline);
  }
}
