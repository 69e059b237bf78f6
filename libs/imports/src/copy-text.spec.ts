import { copyLine, copyTextLine } from './copy-text.js';

describe('COPY lines', () => {
  it('writes text format: line first, NULL as \\N, backslash, tab and line ends escaped', () => {
    expect(copyTextLine(7, ['甲', null, 3, true, '', 'a\\b\tc\r\nd'])).toBe(
      '7\t甲\t\\N\t3\ttrue\t\t' + 'a\\\\b\\tc\\r\\nd\n',
    );
    expect(copyTextLine(2, [])).toBe('2\n');
  });

  it('writes CSV format: NULL unquoted-empty, text quoted with quotes doubled', () => {
    expect(copyLine(['a"b', null, 1, false, ''])).toBe('"a""b",,1,false,""\n');
    expect(copyLine([])).toBe('\n');
  });
});
