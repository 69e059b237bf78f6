import { toCsv } from './csv.js';

describe('toCsv', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(
      toCsv(
        ['行', '原因'],
        [
          [3, 'a "b", c'],
          [4, '=HYPERLINK("x")'],
          [5, null],
        ],
      ),
    ).toBe('\ufeff行,原因\r\n3,"a ""b"", c"\r\n4,"\'=HYPERLINK(""x"")"\r\n5,\r\n');
  });
});
