/**
 * Masks payment card numbers inside a run of digit groups. The card rule's regex matches any
 * run of 13+ digits with optional single separators (space, dash, %20); this decides which part,
 * if any, is a card. Cards may sit next to other numbers ("ref 123 4111 1111 1111 1111"), so
 * every contiguous span of whole groups with 13-19 digits is tried, longest first.
 *
 * A span counts only if it is grouped the way cards are written — one unbroken run, groups of
 * four (the last may be shorter: 4-4-4-4-3), or the 4-6-5 / 4-6-4 layout of Amex and Diners —
 * and is Luhn-valid with a card issuer digit. So a list of small numbers ("388 886 248 170 270"),
 * order numbers, ids and timestamps are left untouched.
 */
import { looksLikeCard } from './luhn.js';

export const CARD_MASK = '[CARD]';

interface Group {
  readonly start: number;
  readonly end: number;
}

function digitGroups(run: string): Group[] {
  const groups: Group[] = [];
  for (const m of run.matchAll(/\d+/g)) {
    const start = m.index ?? 0;
    groups.push({ start, end: start + m[0].length });
  }
  return groups;
}

function cardGrouping(lengths: readonly number[]): boolean {
  if (lengths.length === 1) return true;
  const key = lengths.join('-');
  if (key === '4-6-5' || key === '4-6-4') return true;
  const last = lengths[lengths.length - 1];
  return last <= 4 && lengths.slice(0, -1).every((n) => n === 4);
}

function spanIsCard(run: string, groups: readonly Group[], from: number, to: number): boolean {
  const span = groups.slice(from, to + 1);
  return cardGrouping(span.map((g) => g.end - g.start)) && looksLikeCard(span.map((g) => run.slice(g.start, g.end)).join(''));
}

/** The first card-shaped span of whole groups, as [start, end) offsets into `run`. */
function findCard(run: string, groups: readonly Group[]): [number, number] | undefined {
  for (let from = 0; from < groups.length; from++) {
    let best: number | undefined;
    let digits = 0;
    for (let to = from; to < groups.length; to++) {
      digits += groups[to].end - groups[to].start;
      if (digits > 19) break;
      if (digits >= 13 && spanIsCard(run, groups, from, to)) best = to;
    }
    if (best !== undefined) return [groups[from].start, groups[best].end];
  }
  return undefined;
}

/** Replaces each card inside `run` (a regex match of digit groups) by [CARD]. */
export function maskCardRun(run: string): string {
  let out = '';
  let rest = run;
  // A run of at most 60 digits holds at most four cards; the bound only guards the loop.
  for (let guard = 0; guard < 8; guard++) {
    // %20 would read as the digits "20": blank escapes on a copy with identical offsets.
    const blanked = rest.replace(/%20/g, '   ');
    const span = findCard(blanked, digitGroups(blanked));
    if (!span) break;
    out += rest.slice(0, span[0]) + CARD_MASK;
    rest = rest.slice(span[1]);
  }
  return out + rest;
}
