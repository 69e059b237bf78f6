import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { label, t, withNote } from './index.js';
import { zhCN } from './zh-CN.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'i18n' ? [] : sources(p);
    return /\.tsx?$/.test(n) && !n.endsWith('.spec.ts') ? [p] : [];
  });
}

describe('the message catalogue', () => {
  it('fills placeholders and falls back to the value for an unknown enum', () => {
    expect(t('common.rangeOf', { from: 1, to: 20, total: 42 })).toBe('第 1–20 条，共 42 条');
    expect(label('caseState', 'plan')).toBe('劝返中');
    expect(label('caseState', 'unheard_of')).toBe('unheard_of');
    expect(label('caseState', null)).toBe('—');
    expect(withNote('孙强', '五原县教育局局长')).toBe('孙强（五原县教育局局长）');
  });

  it('has no empty message, and every enum the pages label has entries', () => {
    expect(Object.entries(zhCN).filter(([, v]) => v.trim() === '')).toEqual([]);
    const code = sources(join(import.meta.dirname, '..')).map((f) => readFileSync(f, 'utf8'));
    const prefixes = new Set(
      code.flatMap((c) =>
        [...c.matchAll(/label\('([A-Za-z]+)'|prefix="([A-Za-z]+)"/g)].map((m) => m[1] ?? m[2]),
      ),
    );
    expect(prefixes.size).toBeGreaterThan(20);
    const missing = [...prefixes].filter((p) => !Object.keys(zhCN).some((k) => k.startsWith(`${p}.`)));
    expect(missing).toEqual([]);
  });

  it('holds the page text: no Chinese prose is written in the pages themselves', () => {
    const offending = sources(join(import.meta.dirname, '..')).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
        // Parsing what users type may accept the Chinese comma; showing text may not hard-code it.
        .filter((line) => /[\u4e00-\u9fff]/.test(line))
        .map((line) => `${f}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });
});
