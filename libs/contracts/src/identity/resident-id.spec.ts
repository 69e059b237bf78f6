import {
  isValidResidentId,
  maskResidentId,
  residentIdCheckChar,
  residentIdProblem,
  studentKeyOf,
  RESIDENT_ID_PATTERN,
} from './resident-id.js';

/** Builds a valid number from region, birth date and sequence. */
function makeId(region: string, birth: string, seq: string): string {
  const first17 = region + birth + seq;
  return first17 + residentIdCheckChar(first17);
}

describe('resident ID numbers', () => {
  it('accepts the GB 11643 example number', () => {
    expect(residentIdProblem('11010519491231002X')).toBeNull();
  });

  it('accepts a generated number with an X check character in lower case', () => {
    // 150802 20130901 seq chosen so the check char is X
    let seq = 100;
    let id = makeId('150802', '20130901', String(seq));
    while (!id.endsWith('X')) id = makeId('150802', '20130901', String(++seq));
    expect(isValidResidentId(id.toLowerCase())).toBe(true);
  });

  it('names the problem: format, birth date, check digit', () => {
    expect(residentIdProblem('1508022013090')).toBe('format');
    expect(residentIdProblem('15080220130231123X'.slice(0, 17) + 'Y')).toBe('format');
    const badDate = '15080220130231123';
    expect(residentIdProblem(badDate + residentIdCheckChar(badDate))).toBe('birth_date');
    const good = makeId('150802', '20130901', '123');
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(residentIdProblem(wrongCheck)).toBe('check_digit');
  });

  it('masks the birth date and sequence', () => {
    expect(maskResidentId('15080220130901123X')).toBe('150802********123X');
  });

  it('derives a stable key that does not contain the number', () => {
    const id = makeId('150821', '20120315', '456');
    const key = studentKeyOf(id, 's3cret');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).toBe(studentKeyOf(id.toLowerCase(), 's3cret'));
    expect(key).not.toBe(studentKeyOf(id, 'other'));
    expect(key.includes(id)).toBe(false);
  });

  it('spots a number inside text but not inside longer digit runs', () => {
    expect(RESIDENT_ID_PATTERN.test('学生 15080220130901123X 辍学')).toBe(true);
    expect(RESIDENT_ID_PATTERN.test('订单 1150802201309011234')).toBe(false);
  });
});
