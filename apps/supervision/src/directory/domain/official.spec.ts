import { parseOfficialRow } from './official.js';

const known = (c: string) => ['150800', '150821'].includes(c);
const row = {
  official_id: 'O-1',
  name: '王强',
  title: '五原县教育局局长',
  county_code: '150821',
  front: 'all',
  role: 'bureau_head',
  phone: '138 0000 0001',
  email: 'wang@example.cn',
};

describe('parseOfficialRow', () => {
  it('accepts a complete row and normalises the phone', () => {
    const r = parseOfficialRow(2, row, known);
    expect(r).toEqual({
      official: expect.objectContaining({ officialId: 'O-1', phone: '13800000001', role: 'bureau_head' }),
    });
  });

  it('reports every bad field with its line', () => {
    const r = parseOfficialRow(
      7,
      { ...row, county_code: '999999', front: 'sport', role: '', email: 'x@' },
      known,
    );
    expect('problems' in r && r.problems).toEqual([
      { line: 7, field: 'county_code', reason: '999999 is not a jurisdiction of this city' },
      {
        line: 7,
        field: 'front',
        reason: 'must be one of dropout|aid|construction|rectification|work_team|all',
      },
      { line: 7, field: 'role', reason: 'is required' },
      { line: 7, field: 'email', reason: 'is not an email address' },
    ]);
  });

  it('needs a way to reach the official', () => {
    const r = parseOfficialRow(3, { ...row, phone: '', email: '' }, known);
    expect('problems' in r && r.problems.map((p) => p.field)).toEqual(['phone']);
  });
});
