/**
 * Request and response text for tenants that opted in to payload logging. Prompts and
 * completions are never stored by default; when a tenant opts in, what is stored goes through
 * here: serialized if it is not already text, masked, and bounded. Callers decide whether to
 * log at all; this only guarantees that what they log is masked.
 */
import { maskBounded } from './mask-text.js';

export const MAX_PAYLOAD_CHARS = 32_768;

export function maskPayload(value: unknown, maxChars: number = MAX_PAYLOAD_CHARS): string | null {
  if (value === undefined || value === null) return null;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (Buffer.isBuffer(value)) text = value.subarray(0, maxChars * 4 + 16_384).toString('utf8');
  else {
    try {
      text = JSON.stringify(value) ?? '';
    } catch {
      return null;
    }
  }
  return maskBounded(text, maxChars);
}
