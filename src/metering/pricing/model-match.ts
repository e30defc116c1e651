/**
 * Finds the catalogue model for a model id as clients and providers spell it. Ids are compared
 * case-insensitively, and a dated snapshot (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`,
 * `gpt-4-0613`, `…-latest`) falls back to the longest catalogue model that is its prefix at a
 * dash boundary.
 *
 * Deliberately, only snapshot-looking suffixes are stripped (a date, a four-digit MMDD, or
 * `latest`). A different model that merely starts like a known one (`gpt-5-pro`, `gpt-4o-audio-
 * preview`, `claude-opus-4-9`) is NOT priced as its namesake: that would bill it silently at a
 * wrong rate, whereas an unknown model is recorded as unknown and counted, which is the signal
 * to add its price.
 */

const SNAPSHOT_SUFFIX = /^-(?:\d{8}|\d{4}-\d{2}-\d{2}|\d{4}|latest)$/;

export function normalizeModelId(model: string): string {
  return model.trim().toLowerCase();
}

export function matchModel<T>(models: ReadonlyMap<string, T>, model: string): T | undefined {
  const id = normalizeModelId(model);
  const exact = models.get(id);
  if (exact !== undefined) return exact;
  // Scanning cut points from the right yields the longest matching prefix first.
  for (let cut = id.lastIndexOf('-'); cut > 0; cut = id.lastIndexOf('-', cut - 1)) {
    if (!SNAPSHOT_SUFFIX.test(id.slice(cut))) continue;
    const hit = models.get(id.slice(0, cut));
    if (hit !== undefined) return hit;
  }
  return undefined;
}
