/**
 * Masks payment card numbers inside a run of digit groups. The card rule's regex matches any
 * run of 13+ digits with optional single separators (space, dash, %20); this decides which part,
 * if any, is a card. Cards may sit next to other numbers ("ref 123 4111 1111 1111 1111"), so
 * every contiguous span of whole groups with 13-19 digits is tried, longest first; a run without
 * separators must be a card as a whole. Spans that are not Luhn-valid with a card issuer digit
 * (order numbers, ids, timestamps) are left untouched.
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

function digitsOf(run: string, groups: readonly Group[], from: number, to: number): string {
  let out = '';
  for (let i = from; i <= to; i++) out += run.slice(groups[i].start, groups[i].end);
  return out;
}

/** The first card-shaped span of whole groups, as [start, end) offsets into `run`. */
function findCard(run: string, groups: readonly Group[]): [number, number] | undefined {
  for (let from = 0; from < groups.length; from++) {
    let best: number | undefined;
    for (let to = from; to < groups.length; to++) {
      const digits = digitsOf(run, groups, from, to);
      if (digits.length > 19) break;
      if (looksLikeCard(digits)) best = to;
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
