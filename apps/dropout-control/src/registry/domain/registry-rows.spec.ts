import { residentIdCheckChar, residentIdProblem } from '@edu/contracts';
import { idNumberProblem, parsePovertyRow, parseStudentRow } from './registry-rows.js';

function idNumber(region: string, birth: string, seq: string): string {
  const first17 = `${region}${birth}${seq}`;
  return first17 + residentIdCheckChar(first17);
}

const ID = idNumber('150821', '20120315', '451');
const rules = { cityCode: '150800' };

const student = (over: Record<string, string> = {}) => ({
  id_number: ID.toLowerCase(),
  name: '张小明',
  birth_date: '2012-03-15',
  county_code: '150821',
  school_code: 'WY-001',
  school_name: '五原县第一小学',
  stage: 'primary',
  grade: '3',
  enrolment_status: 'enrolled',
  disability_level: 'none',
  ...over,
});

const member = (over: Record<string, string> = {}) => ({
  household_id: 'H-0001',
  id_number: ID,
  name: '张小明',
  birth_date: '2012/03/15',
  county_code: '150821',
  township: '隆兴昌镇',
  village: '新丰村',
  poverty_status: 'registered_poor',
  orphan: '否',
  disability_level: '',
  relocation_site_code: '',
  ...over,
});

describe('student registry rows', () => {
  it('reads a good row, upper-casing the ID number', () => {
    expect(parseStudentRow(student(), rules)).toEqual({
      idNumber: ID.toUpperCase(),
      name: '张小明',
      birthDate: '2012-03-15',
      countyCode: '150821',
      schoolCode: 'WY-001',
      schoolName: '五原县第一小学',
      stage: 'primary',
      grade: 3,
      enrolmentStatus: 'enrolled',
      disabilityLevel: 'none',
    });
  });

  it('names every problem of a row by field, never echoing the ID number', () => {
    const wrongCheck = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0');
    const problems = parseStudentRow(
      student({
        id_number: wrongCheck,
        stage: 'college',
        grade: '13',
        enrolment_status: 'gone',
        county_code: '110101',
      }),
      rules,
    );
    expect(problems).toEqual([
      { field: 'id_number', reason: 'has a wrong check digit' },
      { field: 'county_code', reason: 'must be the 6-digit code of a county of 150800' },
      { field: 'stage', reason: 'must be one of preschool, primary, junior, senior, vocational, special' },
      { field: 'grade', reason: 'must be a whole number from 1 to 12' },
      {
        field: 'enrolment_status',
        reason: 'must be one of enrolled, suspended, dropped, graduated, transferred_out',
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain(wrongCheck.slice(0, 17));
  });

  it('checks the birth date exists and is the one the ID number carries', () => {
    expect(parseStudentRow(student({ birth_date: '2012-02-30' }), rules)).toEqual([
      { field: 'birth_date', reason: 'must be a date YYYY-MM-DD' },
    ]);
    expect(parseStudentRow(student({ birth_date: '2012-03-16' }), rules)).toEqual([
      { field: 'birth_date', reason: 'differs from the birth date in the ID number' },
    ]);
    const impossible = '150821' + '20120231' + '451';
    expect(
      parseStudentRow(student({ id_number: impossible + residentIdCheckChar(impossible) }), rules),
    ).toEqual([{ field: 'id_number', reason: 'has an impossible birth date in digits 7-14' }]);
    expect(parseStudentRow(student({ id_number: '15082120120315' }), rules)).toEqual([
      { field: 'id_number', reason: 'must be 18 characters, 17 digits then a digit or X' },
    ]);
  });

  it("keeps a county operator to their county, and any city's counties by its code", () => {
    expect(parseStudentRow(student(), { ...rules, scope: '150822' })).toEqual([
      { field: 'county_code', reason: 'is outside your jurisdiction' },
    ]);
    expect(parseStudentRow(student({ county_code: '150800' }), rules)).toHaveLength(1);
    expect(parseStudentRow(student({ county_code: '110105' }), rules)).toHaveLength(1);
    expect(parseStudentRow(student({ county_code: '110105' }), { cityCode: '110100' })).toMatchObject({
      countyCode: '110105',
    });
  });

  it('accepts codes, counties and grades exactly as their patterns do', () => {
    // The checks are loops over the characters (they run for every row); these are the rules they keep.
    const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
    const GRADE = /^(?:[1-9]|1[0-2])$/;
    const COUNTY = /^\d{6}$/;
    const refused = (over: Record<string, string>, field: string) => {
      const parsed = parseStudentRow(student(over), rules);
      return Array.isArray(parsed) && parsed.some((p) => p.field === field);
    };
    const codes = ['A', 'z', '0', 'a-1', 'a.b_c-D', '_a', '.a', '-', '', 'a b', 'a/b', 'Ａ1', 'é', 'a\n'];
    for (const v of [...codes, 'x'.repeat(64), 'x'.repeat(65), `a${'-'.repeat(63)}`]) {
      expect([v, refused({ school_code: v }, 'school_code')]).toEqual([v, !CODE.test(v)]);
    }
    for (const v of [
      '0',
      '1',
      '9',
      '10',
      '11',
      '12',
      '13',
      '19',
      '01',
      '1/',
      '1:',
      ' 1',
      '2x',
      '',
      '١',
      '100',
    ]) {
      expect([v, refused({ grade: v }, 'grade')]).toEqual([v, !GRADE.test(v)]);
    }
    const counties = [
      '150821',
      '150800',
      '150899',
      '15082',
      '1508210',
      '15082a',
      '１50821',
      '150721',
      '1508/1',
    ];
    for (const v of [...counties, '', '150821 ', '250821']) {
      const valid = COUNTY.test(v) && v.slice(0, 4) === '1508' && v !== '150800';
      expect([v, refused({ county_code: v }, 'county_code')]).toEqual([v, !valid]);
    }
  });
});

describe('poverty registry rows', () => {
  it('reads a good row: slashes in dates, 是/否 flags, blank disability and site', () => {
    expect(parsePovertyRow(member(), rules)).toEqual({
      idNumber: ID,
      householdId: 'H-0001',
      name: '张小明',
      birthDate: '2012-03-15',
      countyCode: '150821',
      township: '隆兴昌镇',
      village: '新丰村',
      povertyStatus: 'registered_poor',
      orphan: false,
      disabilityLevel: 'none',
      relocationSiteCode: null,
    });
    expect(
      parsePovertyRow(
        member({ orphan: 'TRUE', relocation_site_code: 'RS-01', disability_level: 'Severe' }),
        rules,
      ),
    ).toMatchObject({
      orphan: true,
      relocationSiteCode: 'RS-01',
      disabilityLevel: 'severe',
    });
  });

  it('refuses unknown statuses, flags, codes and missing names', () => {
    expect(
      parsePovertyRow(
        member({
          poverty_status: 'poor',
          orphan: 'perhaps',
          household_id: '',
          name: '',
          disability_level: 'total',
        }),
        rules,
      ),
    ).toEqual([
      { field: 'household_id', reason: 'must be 1-64 letters, digits, dot, dash or underscore' },
      { field: 'name', reason: 'is required' },
      {
        field: 'poverty_status',
        reason: 'must be one of registered_poor, low_income, extreme_poverty, lifted, none',
      },
      { field: 'orphan', reason: 'must be true or false' },
      { field: 'disability_level', reason: 'must be one of none, mild, moderate, severe' },
    ]);
  });
});

describe('idNumberProblem', () => {
  it('gives the answer of residentIdProblem for valid, mistyped and malformed numbers alike', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const seen = new Map<string | null, number>();
    for (let i = 0; i < 20_000; i++) {
      // Birth dates around the real range, some impossible (month 13, day 31 of a short month, 29 February).
      const birth = `${1890 + random(140)}${pad(1 + random(13), 2)}${pad(1 + random(31), 2)}`;
      let id = idNumber(`15${pad(random(10000), 4)}`, birth, pad(random(1000), 3));
      const mutation = random(8);
      if (mutation === 0) id = id.slice(0, 17) + '10X98765432'[random(11)];
      if (mutation === 1) id = id.slice(0, random(18)) + 'A' + id.slice(1 + random(17));
      if (mutation === 2) id = id.slice(0, 1 + random(17));
      if (mutation === 3) id = `${id}0`;
      if (mutation === 4) {
        const at = random(17);
        id = id.slice(0, at) + String((Number(id[at]) + 1) % 10) + id.slice(at + 1);
      }
      const expected = residentIdProblem(id.toUpperCase());
      expect([id, idNumberProblem(id.toUpperCase())]).toEqual([id, expected]);
      seen.set(expected, (seen.get(expected) ?? 0) + 1);
    }
    // Every answer came up many times.
    for (const answer of [null, 'format', 'birth_date', 'check_digit'] as const) {
      expect(seen.get(answer)).toBeGreaterThan(50);
    }
  });
});
