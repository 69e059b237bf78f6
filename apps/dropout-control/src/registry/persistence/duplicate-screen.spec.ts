import { residentIdCheckChar } from '@edu/contracts';
import { DuplicateScreen } from './duplicate-screen.js';

const id = (n: number) => {
  const first17 = `150821${20100101 + (n % 28)}${String(n).padStart(3, '0').slice(-3)}`;
  return first17 + residentIdCheckChar(first17);
};

describe('DuplicateScreen', () => {
  it('names every repeated ID number as a candidate, and next to nothing else', () => {
    const screen = new DuplicateScreen();
    const ids = Array.from({ length: 20_000 }, (_, i) => `1508${String(i).padStart(8, '0')}12345X`);
    for (const v of ids) screen.add(v);
    expect(screen.candidates()).toEqual([]);
    screen.add(ids[7]);
    screen.add(ids[19_999]);
    screen.add(id(3));
    expect(screen.candidates()?.sort()).toEqual([ids[19_999], ids[7]].sort());
  });

  it('names next to none of a hundred thousand different ID numbers, and each of them seen again', () => {
    const screen = new DuplicateScreen();
    const line = Buffer.alloc(19 * 100_000);
    for (let i = 0; i < 100_000; i++)
      line.write(`1508${String(i * 7919).padStart(13, '0')}X,`, i * 19, 'latin1');
    for (let i = 0; i < 100_000; i++) screen.addBytes(line, i * 19, i * 19 + 18);
    expect(screen.candidates()?.length).toBeLessThan(3);
    const again = [3, 50_000, 99_999].map((i) => line.toString('latin1', i * 19, i * 19 + 18));
    for (const v of again) screen.add(v);
    expect(screen.candidates()).toEqual(expect.arrayContaining(again));
  });

  it('screens ID numbers given as bytes exactly as the same numbers given as text', () => {
    const text = new DuplicateScreen();
    const bytes = new DuplicateScreen();
    const line = Buffer.from(`,${Array.from({ length: 30_000 }, (_, i) => id(i * 7)).join(',')},`);
    let from = 1;
    for (let i = 0; i < 30_000; i++) {
      text.add(line.toString('latin1', from, from + 18));
      bytes.addBytes(line, from, from + 18);
      from += 19;
    }
    expect(text.candidates()?.length).toBeGreaterThan(100);
    expect(bytes.candidates()?.sort()).toEqual(text.candidates()?.sort());
  });

  it('gives up listing when a file is full of repeats', () => {
    const screen = new DuplicateScreen();
    for (let round = 0; round < 2; round++)
      for (let i = 0; i <= DuplicateScreen.MAX_CANDIDATES; i++) screen.add(`ID${i}`);
    expect(screen.candidates()).toBeNull();
  });
});
