/**
 * The ordered PII rules maskText applies. Each rule has a cheap `quick` test (a literal or tiny
 * pattern that any match must contain) and the full pattern; text that trips no quick test —
 * the common case — is returned after one combined scan. Order matters: credentials inside URLs
 * and `Bearer` headers first, then key shapes (a key's body may hold digit groups that a card or
 * phone rule would otherwise split, leaving the rest of the key behind), then emails, cards
 * before phones, and `name=value` secret assignments last, so a long value cannot swallow a
 * neighbouring email or phone before its own rule has masked it.
 *
 * Phones: only shapes that people write as phone numbers are masked — an international number
 * starting with `+` (8-15 digits in groups) and the North-American 3-3-4 grouping with
 * separators ((555) 123-4567, 555.123.4567, 1-800-555-0199). Bare digit runs are NOT phones:
 * they are far more often ids and epoch timestamps (1763898000), and ISO dates/times never fit
 * the 3-3-4 grouping; a group glued to a preceding `digit-` or `digit.` (2024-555-123-4567,
 * 10.202.555.1234) is left alone too.
 */
import { maskCardRun } from './card-numbers.js';
import {
  AT, ASSIGN, CARD_SEP, CLOSE_PAREN, DIGITS_START, EMAIL_START, KEY_CHAR, OPEN_PAREN, PHONE_SEP, PLUS,
  TOKEN_START, VALUE_CHAR,
} from './pii-syntax.js';

export type Replacer = (match: string, ...groups: string[]) => string;

export interface PiiRule {
  readonly name: string;
  /** Case-insensitive, no global flag: only asks "could this rule match at all?". */
  readonly quick: RegExp;
  /** Global. */
  readonly pattern: RegExp;
  readonly replace: string | Replacer;
}

const g = (source: string, flags = 'g') => new RegExp(source, flags);
const q = (source: string) => new RegExp(source, 'i');

/** A bearer/basic credential: token68 characters, with `=` only as trailing padding. */
const TOKEN_CHAR = String.raw`(?:[A-Za-z0-9\-._~+\/]|%2[BbFf])`;
const TOKEN_PAD = '(?:=|%3[Dd])*';
const B64URL = '[A-Za-z0-9_\\-]';
const DOT = '(?:\\.|%2[Ee])';
const EMAIL_LOCAL = '(?:[A-Za-z0-9._+\\-]|%2[Bb])';
/** Dot-separated labels of at most 63 characters and an alphabetic top-level domain. */
const EMAIL_DOMAIN = '(?:[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![A-Za-z0-9])';
const SECRET_NAMES = 'password|passwd|pwd|secret|api[_-]?key|access[_-]?key|access[_-]?token|refresh[_-]?token|auth[_-]?token|private[_-]?key';

/**
 * The regex takes up to six digit groups after a `+`, which can swallow a number that follows
 * the phone ("+4915112345678 697"). Keep the longest prefix, ending at a group, that has a
 * plausible length (8-15 digits) and mask just that; no such prefix means not a phone.
 */
function maskInternationalPhone(match: string): string {
  // %XX becomes three spaces, so offsets stay valid and "%20" adds no digits.
  const blanked = match.replace(/%[0-9A-Fa-f]{2}/g, '   ');
  let digits = 0;
  let end = -1;
  for (const group of blanked.matchAll(/\d+/g)) {
    digits += group[0].length;
    if (digits > 15) break;
    if (digits >= 8) end = (group.index ?? 0) + group[0].length;
  }
  return end < 0 ? match : `[PHONE]${match.slice(end)}`;
}

const RULES_LIST: PiiRule[] = [
  {
    name: 'url-credentials',
    quick: q(String.raw`:\/\/|%3A%2F%2F`),
    pattern: g(String.raw`([A-Za-z][A-Za-z0-9+.\-]{1,15}(?::|%3[Aa])(?:\/\/|%2[Ff]%2[Ff]))([^\s:@\/]{0,256}?)(:|%3[Aa])([^\s\/]{1,256})(@|%40)`),
    replace: (_m, scheme, user, colon, _password, at) => `${scheme}${user}${colon}[REDACTED]${at}`,
  },
  {
    name: 'authorization',
    quick: q('bearer|basic'),
    pattern: g(`${TOKEN_START}((?:[Bb]earer|BEARER|[Bb]asic|BASIC)(?:\\s|%20|\\+)+)(?=${TOKEN_CHAR}*?[0-9A-Z])${TOKEN_CHAR}{8,}${TOKEN_PAD}`),
    replace: '$1[REDACTED]',
  },
  {
    // Header and payload are enough: a JWT cut short (or without a signature) is still masked.
    name: 'jwt',
    quick: q('eyJ'),
    pattern: g(`${TOKEN_START}eyJ${B64URL}{6,}${DOT}${B64URL}{6,}(?:${DOT}${B64URL}*)?`),
    replace: 'eyJ[REDACTED]',
  },
  { name: 'anthropic-key', quick: q('sk-ant-'), pattern: g(`${TOKEN_START}sk-ant-${KEY_CHAR}{8,}`), replace: 'sk-ant-[REDACTED]' },
  { name: 'openai-project-key', quick: q('sk-proj-'), pattern: g(`${TOKEN_START}sk-proj-${KEY_CHAR}{8,}`), replace: 'sk-proj-[REDACTED]' },
  { name: 'sk-key', quick: q('sk-'), pattern: g(`${TOKEN_START}sk-(?!ant-|proj-)${KEY_CHAR}{16,}`), replace: 'sk-[REDACTED]' },
  { name: 'stripe-key', quick: q('[sr]k_(?:live|test)_'), pattern: g(`${TOKEN_START}([sr]k_(?:live|test)_)${KEY_CHAR}{8,}`), replace: '$1[REDACTED]' },
  { name: 'google-key', quick: q('AIza'), pattern: g(`${TOKEN_START}AIza${KEY_CHAR}{30,}`), replace: 'AIza[REDACTED]' },
  { name: 'aws-key-id', quick: q('AKIA|ASIA'), pattern: g(`${TOKEN_START}(AKIA|ASIA)[A-Z0-9]{16,}`), replace: '$1[REDACTED]' },
  { name: 'github-token', quick: q('gh[pousr]_|github_pat_'), pattern: g(`${TOKEN_START}(gh[pousr]_|github_pat_)${KEY_CHAR}{20,}`), replace: '$1[REDACTED]' },
  { name: 'slack-token', quick: q('xox[abprs]-'), pattern: g(`${TOKEN_START}(xox[abprs]-)${KEY_CHAR}{10,}`), replace: '$1[REDACTED]' },
  {
    name: 'email',
    quick: q(String.raw`@|%40|%2540|\\u0040|&#64;`),
    pattern: g(`${EMAIL_START}${EMAIL_LOCAL}+${AT}${EMAIL_DOMAIN}`),
    replace: '[EMAIL]',
  },
  {
    name: 'card',
    quick: q(`\\d(?:${CARD_SEP}?\\d){12}`),
    pattern: g(`${DIGITS_START}\\d(?:${CARD_SEP}?\\d){12,59}(?!\\d)`),
    replace: (m) => maskCardRun(m),
  },
  {
    name: 'international-phone',
    quick: q(`${PLUS}[1-9]`),
    pattern: g(`${TOKEN_START}${PLUS}[1-9]\\d{0,2}(?:${PHONE_SEP}?${OPEN_PAREN}?\\d{1,4}${CLOSE_PAREN}?){2,6}(?!\\d)`),
    replace: (m) => maskInternationalPhone(m),
  },
  {
    name: 'nanp-phone',
    quick: q(`\\d{3}(?:${PHONE_SEP}|${CLOSE_PAREN})`),
    pattern: g(
      `${DIGITS_START}(?<!\\d[.\\-])(?:1${PHONE_SEP})?(?:${OPEN_PAREN}[2-9]\\d{2}${CLOSE_PAREN}${PHONE_SEP}?|[2-9]\\d{2}${PHONE_SEP})`
      + `[2-9]\\d{2}${PHONE_SEP}\\d{4}(?!\\d|[.\\-]\\d)`,
    ),
    replace: '[PHONE]',
  },
  {
    // Deliberately without a start boundary: `db_password=` and `mypassword=` both qualify,
    // and the assignment that must follow keeps ordinary words from matching.
    name: 'secret-assignment',
    quick: q('pass|pwd|secret|key|token'),
    pattern: g(`(${SECRET_NAMES})(${ASSIGN})(?!\\[REDACTED\\])(${VALUE_CHAR}{1,512})`, 'gi'),
    replace: '$1$2[REDACTED]',
  },
  {
    // A bare `token=` is common in URLs (webhooks, signed links) but also in prose about
    // tokens ("token: 635"), so only a value long enough to be a credential is taken.
    name: 'token-assignment',
    quick: q('token'),
    pattern: g(`(?<![A-Za-z])(token)(${ASSIGN})(?!\\[REDACTED\\])(${VALUE_CHAR}{12,512})`, 'gi'),
    replace: '$1$2[REDACTED]',
  },
];

export const PII_RULES: readonly PiiRule[] = Object.freeze(RULES_LIST);

/** One scan that any text containing PII trips; text that does not is returned unchanged. */
export const ANY_PII_QUICK = new RegExp(PII_RULES.map((r) => `(?:${r.quick.source})`).join('|'), 'i');
