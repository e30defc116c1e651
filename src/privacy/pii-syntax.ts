/**
 * Regular-expression building blocks for PII that may appear plain, JSON-escaped or
 * URL-encoded. Sensitive values reach logs in all three forms — a prompt, the same prompt inside
 * a JSON body (`\"bob@example.com\"`, `\n` before a key), or inside a query string
 * (`bob%40example.com`, `%20` between digit groups) — so every separator a rule relies on is
 * written once here with its escaped spellings.
 *
 * These are source strings for `new RegExp`, not rules; pii-rules.ts assembles them.
 */

/** A %XX escape, or a JSON \uXXXX escape. */
const PCT = '%[0-9A-Fa-f]{2}';
const UESC = String.raw`\\u[0-9A-Fa-f]{4}`;

/**
 * Where a token may begin: not glued to a preceding letter or digit — unless that character is
 * the tail of an escape (`\n`, `%0A`, `%22`, `\u0022`) that decodes to a separator — and never
 * on the inside of such an escape (so `%22bob@…` masks `bob@…`, not `22bob@…`, and `\nsk-…` is
 * still caught).
 */
export const TOKEN_START = String.raw`(?<![\\%]|%[0-9A-Fa-f])(?:(?<![A-Za-z0-9])|(?<=\\[nrtbfv]|${PCT}|${UESC}))`;

/** Like TOKEN_START for digit runs, which additionally must not follow a `+` (phone prefixes). */
export const DIGITS_START = String.raw`(?<![\\%+]|%[0-9A-Fa-f]|%2[Bb])(?:(?<![A-Za-z0-9])|(?<=\\[nrtbfv]|${PCT}|${UESC}))`;

/**
 * Where an email's local part may begin: only at the start of a run of local-part characters
 * (or right after an escape other than %2B, which is part of the local part). Allowing every
 * position inside a run would make a long run without `@` cost quadratic time.
 */
export const EMAIL_START = String.raw`(?<![\\%]|%[0-9A-Fa-f])(?:(?<![A-Za-z0-9._+\-])|(?<=\\[nrtbfv]|%(?:[013-9A-Fa-f][0-9A-Fa-f]|2[0-9AC-Fac-f])|${UESC}))`;

export const AT = String.raw`(?:@|%40|%2540|\\u0040|&#64;)`;
export const PLUS = '(?:\\+|%2[Bb])';
export const OPEN_PAREN = '(?:\\(|%28)';
export const CLOSE_PAREN = '(?:\\)|%29)';
/** Between digit groups of a phone number. */
export const PHONE_SEP = '(?:[ .\\-]|%20)';
/** Between digit groups of a card number. */
export const CARD_SEP = '(?:[ \\-]|%20)';
export const ASSIGN = String.raw`(?:\\?["']|%22)?\s*(?:[:=]|%3[Aa]|%3[Dd])\s*(?:\\?["']|%22)?`;

/** Characters of API keys and tokens; `/`, `+`, `=` also in their %-encoded and `\/` forms. */
export const KEY_CHAR = String.raw`(?:[A-Za-z0-9_\-+=\/]|%2[BbFf]|%3[Dd]|\\\/)`;

/** Replaces every %XX escape by a space, so digits inside `%20` are not counted as content. */
export function withoutPercentEscapes(s: string): string {
  return s.replace(/%[0-9A-Fa-f]{2}/g, ' ');
}
