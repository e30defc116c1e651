/**
 * maskText: replaces personal data and secrets in free text with fixed markers ([EMAIL],
 * [PHONE], [CARD], sk-[REDACTED], Bearer [REDACTED], …), in plain, JSON-escaped and URL-encoded
 * forms. It is the single masking routine behind every sink and every error path.
 *
 * Fast path: one case-insensitive scan for anything any rule could start with; text without a
 * hit (most log lines) is returned as is. Otherwise each rule whose own quick test hits is
 * applied in order. Masking is idempotent (masking masked text changes nothing).
 *
 * It deliberately does not detect user ids or names in free text (there is no reliable shape);
 * user ids are masked where they are known to be ids (mask-user.ts). Text is processed whole,
 * so callers bound its size first (maskBounded).
 */
import { ANY_PII_QUICK, PII_RULES, type PiiRule } from './pii-rules.js';

function applyRule(s: string, rule: PiiRule): string {
  if (!rule.quick.test(s)) return s;
  const r = rule.replace;
  return typeof r === 'string' ? s.replace(rule.pattern, r) : s.replace(rule.pattern, r);
}

export function maskText(s: string): string {
  if (s.length === 0 || !ANY_PII_QUICK.test(s)) return s;
  let out = s;
  for (const rule of PII_RULES) out = applyRule(out, rule);
  return out;
}

/**
 * PII longer than this straddling a cut is not a concern (see maskBounded); long bearer JWTs
 * are the largest items expected.
 */
const CUT_MARGIN = 4096;
export const ELLIPSIS = '…';

/**
 * Masks at most about `maxChars` characters of `s` and returns at most `maxChars` characters.
 * The text is cut first at maxChars + CUT_MARGIN (so masking cost is bounded), masked, then cut
 * to maxChars. Masking before the final cut matters: cutting first could slice an email or key
 * in half and leave a fragment no rule recognises. Any item split by the first cut lies wholly
 * beyond maxChars unless it is longer than the margin, so the final cut removes it.
 */
export function maskBounded(s: string, maxChars: number): string {
  const masked = maskText(s.length > maxChars + CUT_MARGIN ? s.slice(0, maxChars + CUT_MARGIN) : s);
  if (masked.length <= maxChars) return masked;
  return `${masked.slice(0, Math.max(0, maxChars - ELLIPSIS.length))}${ELLIPSIS}`;
}
