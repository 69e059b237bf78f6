import { copyLine, copyTextLine } from './copy-text.js';

describe('COPY lines', () => {
  it('writes text format: line first, NULL as \\N, backslash, tab and line ends escaped', () => {
    expect(copyTextLine(7, ['甲', null, 3, true, '', 'a\\b\tc\r\nd'])).toBe(
      '7\t甲\t\\N\t3\ttrue\t\t' + 'a\\\\b\\tc\\r\\nd\n',
    );
    expect(copyTextLine(2, [])).toBe('2\n');
  });

  it('escapes exactly the backslashes, tabs and line ends, wherever they are', () => {
    const escape = (v: string) =>
      v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    const parts = ['a', '甲', '\\', '\t', '\n', '\r', ' ', '\u000b', '\f', '[', ']', '^', 'N', '\u2028'];
    let seed = 3;
    for (let i = 0; i < 2000; i++) {
      let v = '';
      for (let n = i % 6; n > 0; n--) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        v += parts[seed % parts.length];
      }
      expect(copyTextLine(1, [v, 'x'])).toBe(`1\t${escape(v)}\tx\n`);
    }
  });

  it('writes CSV format: NULL unquoted-empty, text quoted with quotes doubled', () => {
    expect(copyLine(['a"b', null, 1, false, ''])).toBe('"a""b",,1,false,""\n');
    expect(copyLine([])).toBe('\n');
  });
});
