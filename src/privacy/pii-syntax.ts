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
 * The tail of an escape that decodes to a separator: JSON `\n` `\t` … and `\uXXXX`, a %XX
 * escape, and the URL-encoded JSON escapes `%5Cn` and `%5Cu0022` (a JSON body in a query).
 */
const ESCAPE_TAIL = String.raw`\\[nrtbfv]|%5[Cc][nrtbfv]|${UESC}|%5[Cc]u[0-9A-Fa-f]{4}`;

/** Positions inside an escape, where no token may begin. */
const INSIDE_ESCAPE = String.raw`[\\%]|%[0-9A-Fa-f]|%5[Cc]`;

/**
 * Where a token may begin: not glued to a preceding letter or digit — unless that character is
 * the tail of an escape (`\n`, `%0A`, `%22`, `\u0022`, `%5Cn`) that decodes to a separator — and
 * never on the inside of such an escape (so `%22bob@…` masks `bob@…`, not `22bob@…`, and
 * `\nsk-…` is still caught).
 */
export const TOKEN_START = `(?<!${INSIDE_ESCAPE})(?:(?<![A-Za-z0-9])|(?<=${ESCAPE_TAIL}|${PCT}))`;

/** Like TOKEN_START for digit runs, which additionally must not follow a `+` (phone prefixes). */
export const DIGITS_START = `(?<!${INSIDE_ESCAPE}|\\+|%2[Bb])(?:(?<![A-Za-z0-9])|(?<=${ESCAPE_TAIL}|${PCT}))`;

/**
 * Where an email's local part may begin: only at the start of a run of local-part characters
 * (or right after an escape other than %2B, which is part of the local part). Allowing every
 * position inside a run would make a long run without `@` cost quadratic time.
 */
export const EMAIL_START = `(?<!${INSIDE_ESCAPE})(?:(?<![A-Za-z0-9._+\\-])|(?<=${ESCAPE_TAIL}|%(?:[013-9A-Fa-f][0-9A-Fa-f]|2[0-9AC-Fac-f])))`;

export const AT = String.raw`(?:@|%40|%2540|\\u0040|&#64;)`;
export const PLUS = '(?:\\+|%2[Bb])';
export const OPEN_PAREN = '(?:\\(|%28)';
export const CLOSE_PAREN = '(?:\\)|%29)';
/** Between digit groups of a phone number. */
export const PHONE_SEP = '(?:[ .\\-]|%20)';
/** Between digit groups of a card number. */
export const CARD_SEP = '(?:[ \\-]|%20)';
/** `=` or `:` with optional quotes and spaces around, in plain, JSON-escaped and %-encoded text. */
export const ASSIGN = String.raw`(?:\\?["']|%22)?(?:\s|%20)*(?:[:=]|%3[Aa]|%3[Dd])(?:\s|%20)*(?:\\?["']|%22)?`;

/**
 * A character of an assigned secret value: anything up to a separator. %-escapes count as
 * value characters (passwords contain %40, %21 …) except those of separators (space, quotes,
 * `&`, `,`, `;`, `<`, `>`, `\`, line breaks), so a value in a query string ends where it should.
 */
export const VALUE_CHAR = String.raw`(?:[^\s"'&,;\\<>%]|%(?!2[0267Cc]|3[BbCcEe]|0[9AaDd]|5[Cc])[0-9A-Fa-f]{2})`;

/**
 * Characters of API keys: letters, digits, `_`, `-`, and `/` (also as %2F and JSON's `\/`), so
 * a key glued to a path is masked with it. `+` and `=` are left out: no key format uses them,
 * and taking them would swallow a following `=+44 …` phone number.
 */
export const KEY_CHAR = String.raw`(?:[A-Za-z0-9_\-\/]|%2[Ff]|\\\/)`;
