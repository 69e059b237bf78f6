import { residentIdCheckChar, studentKeyOf } from '@edu/contracts';
import { parsePaymentRow } from '../../reconciliation/domain/payment-row.js';
import { normalizeName, parseRosterRow } from './roster-row.js';

const id = (seq: string) => {
  const first17 = `15082120090315${seq}`;
  return first17 + residentIdCheckChar(first17);
};
const ROW = {
  id_number: id('123'),
  name: ' 张 三 ',
  county_code: '150821',
  school_code: 'WY-01',
  stage: '初中',
  grade: '8',
  boarder: '是',
  bilingual: '0',
  registered_poor: 'yes',
  low_income: 'false',
  extreme_poverty: '',
  orphan: 'n',
  disability_level: '0',
  special_education: 'no',
};

describe('roster rows', () => {
  it('keeps the student by key, the ID number only masked, the name normalized', () => {
    const s = parseRosterRow(ROW, 2, 'secret', undefined);
    expect(s).toMatchObject({
      studentKey: studentKeyOf(ROW.id_number, 'secret'),
      idMasked: `150821********${ROW.id_number.slice(14)}`,
      name: '张三',
      stage: 'junior',
      flags: { boarder: true, registered_poor: true, orphan: false, new_entrant: false },
    });
    expect(JSON.stringify(s)).not.toContain(ROW.id_number);
  });

  it('reports every bad cell by line and field, never the value', () => {
    const wrong = ROW.id_number.slice(0, 17) + (ROW.id_number[17] === '1' ? '2' : '1');
    const problems = parseRosterRow(
      { ...ROW, id_number: wrong, stage: 'college', boarder: 'maybe', county_code: '150822' },
      7,
      's',
      '150821',
    );
    expect(problems).toEqual([
      { line: 7, field: 'id_number', reason: 'has a wrong check digit' },
      { line: 7, field: 'county_code', reason: 'is outside your jurisdiction' },
      {
        line: 7,
        field: 'stage',
        reason: 'must be one of preschool, primary, junior, senior, vocational, higher',
      },
      { line: 7, field: 'boarder', reason: 'must be 1/0, true/false, yes/no or 是/否' },
    ]);
    expect(JSON.stringify(problems)).not.toContain(wrong);
  });

  it('compares names without spaces and with one middle dot', () => {
    expect(normalizeName('阿 力 • 木')).toBe(normalizeName('阿力·木'));
  });
});

describe('payment rows', () => {
  const PAY = {
    payment_ref: 'B1',
    id_number: id('123'),
    name: '张三',
    policy_code: 'compulsory_boarder_living',
    term: '2020-autumn',
    amount: '625.00',
    paid_on: '2020-10-20',
  };

  it('parses a payment and a reversal naming the payment it reverses', () => {
    expect(parsePaymentRow(PAY, 2, 's')).toMatchObject({
      amountFen: 62500,
      policyCode: 'COMPULSORY_BOARDER_LIVING',
      idRegion: '150821',
      reversesRef: null,
    });
    expect(
      parsePaymentRow({ ...PAY, payment_ref: 'B2', amount: '-625', reverses_ref: 'B1' }, 3, 's'),
    ).toMatchObject({
      amountFen: -62500,
      reversesRef: 'B1',
    });
  });

  it('refuses a negative amount without the payment it reverses, and a reversal of itself', () => {
    expect(parsePaymentRow({ ...PAY, amount: '-1' }, 4, 's')).toEqual([
      {
        line: 4,
        field: 'reverses_ref',
        reason: 'is required for a negative amount: the payment_ref it reverses',
      },
    ]);
    expect(parsePaymentRow({ ...PAY, amount: '0', paid_on: '2020-13-01' }, 5, 's')).toEqual([
      expect.objectContaining({ field: 'amount' }),
      expect.objectContaining({ field: 'paid_on' }),
    ]);
    expect(parsePaymentRow({ ...PAY, amount: '-1', reverses_ref: 'B1' }, 6, 's')).toEqual([
      { line: 6, field: 'reverses_ref', reason: 'cannot name the line itself' },
    ]);
  });
});
