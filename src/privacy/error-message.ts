/**
 * Sanitizes an error message before it is logged or returned to a client: control characters
 * removed (no forged log lines), personal data and secrets masked (upstream error bodies and
 * driver errors echo keys, DSNs and prompt fragments), length bounded. Accepts anything that was
 * thrown, because JavaScript lets any value be thrown; stack traces are never included.
 */
import { maskBounded } from './mask-text.js';
import { stripControlChars } from './control-chars.js';

export const MAX_ERROR_MESSAGE_CHARS = 500;

function messageOf(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err instanceof Error) return err.message;
  if (err !== null && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  try {
    return String(err);
  } catch {
    return 'unknown error';
  }
}

export function sanitizeErrorMessage(err: unknown, maxChars: number = MAX_ERROR_MESSAGE_CHARS): string {
  const text = stripControlChars(messageOf(err)).replace(/ {2,}/g, ' ').trim();
  return maskBounded(text, maxChars);
}
