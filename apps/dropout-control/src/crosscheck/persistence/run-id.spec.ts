import { newRunId } from './run-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRunId', () => {
  it('is a version 7 UUID carrying the time in milliseconds', () => {
    const at = Date.UTC(2026, 10, 29, 19, 40, 0, 123);
    const id = newRunId(at);
    expect(id).toMatch(V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(newRunId()).toMatch(V7);
  });

  it("sorts after an earlier run's id, as Postgres compares UUIDs (byte by byte)", () => {
    const at = Date.UTC(2026, 10, 29, 19, 40, 0, 0);
    for (const later of [1, 255, 256, 65_536, 86_400_000]) {
      const before = newRunId(at);
      const after = newRunId(at + later);
      expect(after > before).toBe(true);
    }
  });

  it('tells apart the runs of one millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newRunId(1_764_444_000_000)));
    expect(ids.size).toBe(1000);
  });
});
