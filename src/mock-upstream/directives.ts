/**
 * Directives: the per-request instructions that make the mock upstream misbehave on purpose
 * (status, delays, cut or stalled streams, malformed chunks, …). This module owns their names
 * and types and turns the two text spellings into validated objects:
 *
 * - a header list, `status=500;retryAfter=2;noDone` (`;`-separated, flags without a value are
 *   true, values are percent-decoded so `content=a%3Bb` carries a semicolon);
 * - a model suffix, `gpt-4o-mini~status=503~retryAfter=1` (`~`-separated; the part before the
 *   first `~` is the model name the mock reports back).
 *
 * Unknown names and ill-typed values are rejected with a DirectiveError rather than ignored, so
 * a typo in a test shows up as a loud 400 instead of a silently normal answer. It does not
 * decide precedence between sources (the server does) nor act on the directives.
 */

export interface Directives {
  status?: number;
  errorCode?: string;
  errorMessage?: string;
  retryAfter?: number;
  retryAfterMs?: number;
  delayMs?: number;
  ttfbMs?: number;
  chunks?: number;
  chunkDelayMs?: number;
  cutAfter?: number;
  stallAfter?: number;
  malformedAt?: number;
  noDone?: boolean;
  crOnly?: boolean;
  comments?: boolean;
  splitUtf8?: boolean;
  reset?: boolean;
  noUsage?: boolean;
  cachedTokens?: number;
  content?: string;
  finishReason?: string;
  hang?: boolean;
}

type Kind = 'int' | 'flag' | 'text';

const KINDS: Readonly<Record<keyof Directives, Kind>> = {
  status: 'int',
  errorCode: 'text',
  errorMessage: 'text',
  retryAfter: 'int',
  retryAfterMs: 'int',
  delayMs: 'int',
  ttfbMs: 'int',
  chunks: 'int',
  chunkDelayMs: 'int',
  cutAfter: 'int',
  stallAfter: 'int',
  malformedAt: 'int',
  noDone: 'flag',
  crOnly: 'flag',
  comments: 'flag',
  splitUtf8: 'flag',
  reset: 'flag',
  noUsage: 'flag',
  cachedTokens: 'int',
  content: 'text',
  finishReason: 'text',
  hang: 'flag',
};

export const DIRECTIVE_NAMES = Object.freeze(Object.keys(KINDS) as (keyof Directives)[]);

export class DirectiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectiveError';
  }
}

function isDirectiveName(name: string): name is keyof Directives {
  return Object.prototype.hasOwnProperty.call(KINDS, name);
}

function fromText(name: keyof Directives, raw: string | undefined): number | boolean | string {
  const kind = KINDS[name];
  if (kind === 'flag') {
    if (raw === undefined || raw === '' || raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new DirectiveError(`directive ${name} is a flag; got "${raw}"`);
  }
  if (raw === undefined) throw new DirectiveError(`directive ${name} needs a value`);
  if (kind === 'text') return raw;
  if (!/^\d+$/.test(raw)) throw new DirectiveError(`directive ${name} needs a non-negative integer; got "${raw}"`);
  return Number(raw);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new DirectiveError(`bad percent-encoding in "${text}"`);
  }
}

/** Parses `name=value` items separated by `separator` (`;` for the header, `~` for a model). */
export function parseDirectiveList(text: string, separator: string): Directives {
  const out: Record<string, number | boolean | string> = {};
  for (const item of text.split(separator)) {
    const trimmed = item.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    const name = (eq === -1 ? trimmed : trimmed.slice(0, eq)).trim();
    const raw = eq === -1 ? undefined : decode(trimmed.slice(eq + 1).trim());
    if (!isDirectiveName(name)) throw new DirectiveError(`unknown directive "${name}"`);
    out[name] = fromText(name, raw);
  }
  return out as Directives;
}

/** Checks an object from a programmatic or HTTP script; returns a clean copy. */
export function validateDirectives(value: unknown): Directives {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DirectiveError('a script step must be an object of directives');
  }
  const out: Record<string, number | boolean | string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!isDirectiveName(name)) throw new DirectiveError(`unknown directive "${name}"`);
    const kind = KINDS[name];
    const ok = kind === 'flag' ? typeof v === 'boolean'
      : kind === 'text' ? typeof v === 'string'
        : typeof v === 'number' && Number.isInteger(v) && v >= 0;
    if (!ok) throw new DirectiveError(`directive ${name} has the wrong type (${kind} expected)`);
    out[name] = v as number | boolean | string;
  }
  return out as Directives;
}

export interface SplitModel {
  /** The model name without the directive suffix. */
  model: string;
  /** Directives from the suffix, or undefined when the name has no `~`. */
  directives: Directives | undefined;
}

/** Splits `name~key=value~flag` into the reported model name and its directives. */
export function splitModelSuffix(model: string): SplitModel {
  const tilde = model.indexOf('~');
  if (tilde === -1) return { model, directives: undefined };
  return { model: model.slice(0, tilde), directives: parseDirectiveList(model.slice(tilde + 1), '~') };
}
