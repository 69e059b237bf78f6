import { mergedPage, type SourcePage } from './merged-page.js';

interface Row {
  at: number;
  id: string;
}

/** Sources listing newest first, answering limit/offset with their total, and every request they got. */
function sources(lists: Row[][], withTotal = true) {
  const sorted = lists.map((l) => [...l].sort((a, b) => b.at - a.at || b.id.localeCompare(a.id)));
  const calls: [number, number, number][] = [];
  const fetch = async (s: number, offset: number, limit: number): Promise<SourcePage<Row>> => {
    calls.push([s, offset, limit]);
    return { items: sorted[s].slice(offset, offset + limit), total: withTotal ? sorted[s].length : null };
  };
  return { fetch, calls, all: sorted.flat().sort((a, b) => b.at - a.at || b.id.localeCompare(a.id)) };
}

const newer = (a: Row, b: Row) => a.at > b.at || (a.at === b.at && a.id > b.id);

/** Deterministic rows: source s holds n rows at times spread so the sources interleave. */
function rows(s: number, n: number, step: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    at: 1000 + i * step + s,
    id: `${s}-${String(i).padStart(4, '0')}`,
  }));
}

describe('a page of several newest-first sources', () => {
  const lists = [rows(0, 47, 3), rows(1, 5, 50), rows(2, 0, 1)];

  it('cuts every page of the union in order, with the sum of the totals, and no row twice', async () => {
    const src = sources(lists);
    const seen: Row[] = [];
    for (let offset = 0; offset < 60; offset += 20) {
      const page = await mergedPage(3, src.fetch, newer, offset, 20);
      expect(page.total).toBe(52);
      expect(page.items).toEqual(src.all.slice(offset, offset + 20));
      seen.push(...page.items);
    }
    expect(seen).toHaveLength(52);
    expect(new Set(seen.map((r) => r.id)).size).toBe(52);
  });

  it('reads a source past the services’ limit cap in several requests, and stops at its end', async () => {
    const big = [rows(0, 450, 1), rows(1, 3, 100)];
    const src = sources(big);
    const page = await mergedPage(2, src.fetch, newer, 400, 20, 200);
    expect(page.items).toEqual(src.all.slice(400, 420));
    expect(page.total).toBe(453);
    expect(src.calls.filter(([s]) => s === 0)).toEqual([
      [0, 0, 200],
      [0, 200, 200],
      [0, 400, 20],
    ]);
    // The small source is read once: its short first page is its end.
    expect(src.calls.filter(([s]) => s === 1)).toEqual([[1, 0, 200]]);
  });

  it('has no total when a source sends none, and an empty page past the end', async () => {
    const src = sources(lists, false);
    const last = await mergedPage(3, src.fetch, newer, 40, 20);
    expect(last.total).toBeNull();
    expect(last.items).toEqual(src.all.slice(40));
    expect((await mergedPage(3, src.fetch, newer, 100, 20)).items).toEqual([]);
  });
});
