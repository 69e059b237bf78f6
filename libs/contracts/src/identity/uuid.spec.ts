import { randomUUID } from 'node:crypto';
import { isUuid } from './uuid.js';

describe('UUIDs', () => {
  it('accepts the canonical form in either case', () => {
    const id = randomUUID();
    expect(isUuid(id)).toBe(true);
    expect(isUuid(id.toUpperCase())).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
  });

  it('refuses anything else, whatever it is asked before', () => {
    const id = randomUUID();
    for (const text of [
      '',
      id.replace(/-/g, ''),
      `{${id}}`,
      `${id} `,
      `${id}0`,
      id.slice(1),
      id.replace(/^./, 'g'),
      `${id}\n`,
      `x'; DROP TABLE t; --`,
    ]) {
      expect([text, isUuid(text)]).toEqual([text, false]);
    }
    // No state carried between calls (the pattern has no global flag).
    expect(isUuid(id)).toBe(true);
  });
});
