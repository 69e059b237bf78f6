/** One source's answer: rows from an offset, and the total it holds (X-Total-Count). */
export interface SourcePage<T> {
  items: T[];
  total: number | null;
}

/** The most rows a source gives per request (the services cap `limit`). */
export const SOURCE_MAX_LIMIT = 200;

/**
 * A page of the newest-first union of several sources that each list newest first. Row
 * `offset` of the union can come from any source, so each source is read from its start
 * up to `offset + limit` rows (in requests of at most `maxLimit`), the heads are merged in
 * each source's own order, and the page is cut from the merge. The total is the sum of the
 * sources' totals (null if a source sends none). `newer(a, b)` says whether a comes first.
 */
export async function mergedPage<T>(
  sources: number,
  fetch: (source: number, offset: number, limit: number) => Promise<SourcePage<T>>,
  newer: (a: T, b: T) => boolean,
  offset: number,
  limit: number,
  maxLimit = SOURCE_MAX_LIMIT,
): Promise<{ items: T[]; total: number | null }> {
  const want = offset + limit;
  const lists = await Promise.all(
    Array.from({ length: sources }, async (_, s) => {
      const rows: T[] = [];
      let total: number | null = null;
      while (rows.length < want) {
        const asked = Math.min(maxLimit, want - rows.length);
        const page = await fetch(s, rows.length, asked);
        rows.push(...page.items);
        total = page.total;
        // A short page is the source's end; so is reaching its total.
        if (page.items.length < asked || (total !== null && rows.length >= total)) break;
      }
      return { rows, total };
    }),
  );
  const heads = lists.map(() => 0);
  const merged: T[] = [];
  while (merged.length < want) {
    let pick = -1;
    for (let s = 0; s < lists.length; s++)
      if (
        heads[s] < lists[s].rows.length &&
        (pick < 0 || newer(lists[s].rows[heads[s]], lists[pick].rows[heads[pick]]))
      )
        pick = s;
    if (pick < 0) break;
    merged.push(lists[pick].rows[heads[pick]++]);
  }
  const total = lists.some((l) => l.total === null) ? null : lists.reduce((n, l) => n + (l.total ?? 0), 0);
  return { items: merged.slice(offset, want), total };
}
