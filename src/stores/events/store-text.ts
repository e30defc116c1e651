/**
 * Store-safe text: the one rule both log stores apply to every plain string column, so an
 * event reads back the same from SQLite and from PostgreSQL. PostgreSQL `text` rejects the NUL
 * character outright, and a lone UTF-16 surrogate (what invalid UTF-8 turns into once it is a
 * JavaScript string) has no UTF-8 encoding; a single such character must not make a whole
 * batch fail (B5), so both are replaced with U+FFFD.
 *
 * This is deliberately a replacement, not an escape: columns hold what filters compare with, and
 * an escape scheme would have to escape its own escape character in every value. Structured
 * columns (metadata, payload) are stored as JSON text instead, whose `\u0000` and `\udXXX`
 * escapes are plain ASCII, so those round-trip exactly and are never passed through here.
 */

/** U+FFFD REPLACEMENT CHARACTER, what NUL and lone surrogates become. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

// A cheap pre-check keeps the common case (nothing to replace) free of a regex replace.
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
// NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Returns `value` with NUL and lone surrogates replaced by U+FFFD; well-formed text is untouched. */
export function storeSafeText(value: string): string {
  if (!SUSPECT.test(value)) return value;
  return value.replace(UNSAFE, REPLACEMENT_CHARACTER);
}
