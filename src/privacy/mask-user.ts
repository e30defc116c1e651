/**
 * Masks an end-user id for logs and events: long ids keep their first 8 and last 3 characters
 * around `***` (`user_123456789` → `user_123***789`), enough to tell users apart in a dashboard
 * without storing the id; ids shorter than 14 characters become `***` (showing 11 of 12
 * characters would hide nothing). An id that is itself personal data (an email, a phone number,
 * a key) is masked as such instead, so not even its first characters survive.
 */
import { maskBounded, maskText } from './mask-text.js';
import { stripControlChars } from './control-chars.js';

const KEEP_START = 8;
const KEEP_END = 3;
const MIN_PARTIAL = 14;
const MAX_ID_CHARS = 256;

export function maskUser(id: string): string {
  const clean = stripControlChars(id).trim().slice(0, MAX_ID_CHARS);
  if (clean.length === 0) return '***';
  if (maskText(clean) !== clean) return maskBounded(clean, 64);
  if (clean.length < MIN_PARTIAL) return '***';
  return `${clean.slice(0, KEEP_START)}***${clean.slice(-KEEP_END)}`;
}
