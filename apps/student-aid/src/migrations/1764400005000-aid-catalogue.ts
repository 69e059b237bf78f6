import type { MigrationInterface, QueryRunner } from 'typeorm';

const DUE = { spring: '04-30', autumn: '10-31' };
const BOTH = ['spring', 'autumn'];
const COMPULSORY = { attr: 'stage', in: ['primary', 'junior'] };
/** Financial difficulty: any attribute that confers aid eligibility. */
const DIFFICULTY = {
  any: [
    { attr: 'registered_poor', is: true },
    { attr: 'low_income', is: true },
    { attr: 'extreme_poverty', is: true },
    { attr: 'orphan', is: true },
    { attr: 'disability_level', min: 1 },
  ],
};
const POOR_HOUSEHOLD = {
  any: [
    { attr: 'registered_poor', is: true },
    { attr: 'low_income', is: true },
    { attr: 'orphan', is: true },
  ],
};
const inKind = { kind: 'in_kind' };

/**
 * DOMAIN.md's student aid catalogue (document item 三(六)) as version 1 of each policy.
 * `national` rows carry the 2020 national standards; `example` rows are configurable
 * examples, not facts, for the aid centre to set through /api/policies.
 */
const CATALOGUE: [string, string, string, object, object, string[], string, string?][] = [
  [
    'PRESCHOOL_FEE_WAIVER',
    '学前教育资助：保育教育费减免50%',
    'preschool',
    {
      all: [
        { attr: 'stage', in: ['preschool'] },
        { attr: 'mongolian_kindergarten', is: false },
        {
          any: [
            { attr: 'registered_poor', is: true },
            { attr: 'low_income', is: true },
            { attr: 'orphan', is: true },
            { attr: 'disability_level', min: 1 },
          ],
        },
      ],
    },
    { kind: 'percent_of_fee', percent: 50 },
    BOTH,
    'example',
  ],
  [
    'PRESCHOOL_MONGOLIAN_FEE_WAIVER',
    '蒙古语授课幼儿园幼儿：保育教育费全免',
    'preschool',
    {
      all: [
        { attr: 'stage', in: ['preschool'] },
        { attr: 'mongolian_kindergarten', is: true },
      ],
    },
    { kind: 'percent_of_fee', percent: 100 },
    BOTH,
    'example',
  ],
  [
    'PRESCHOOL_MONGOLIAN_MEALS',
    '蒙古语授课幼儿园幼儿：伙食补助',
    'preschool',
    {
      all: [
        { attr: 'stage', in: ['preschool'] },
        { attr: 'mongolian_kindergarten', is: true },
      ],
    },
    { kind: 'fixed_per_term', amount: '300.00' },
    BOTH,
    'example',
  ],
  ['COMPULSORY_FEE_WAIVER', '义务教育：免除学杂费', 'compulsory', COMPULSORY, inKind, BOTH, 'national'],
  ['COMPULSORY_TEXTBOOKS', '义务教育：免费提供教科书', 'compulsory', COMPULSORY, inKind, BOTH, 'national'],
  [
    'COMPULSORY_BOARDING_FEE',
    '义务教育：寄宿生住宿费补助',
    'compulsory',
    { all: [COMPULSORY, { attr: 'boarder', is: true }] },
    { kind: 'fixed_per_term', amount: '150.00' },
    BOTH,
    'example',
  ],
  [
    'COMPULSORY_BOARDER_LIVING',
    '义务教育：家庭经济困难寄宿生生活补助',
    'compulsory',
    {
      all: [
        COMPULSORY,
        { attr: 'boarder', is: true },
        { attr: 'bilingual', is: false },
        { attr: 'special_education', is: false },
        DIFFICULTY,
      ],
    },
    { kind: 'per_year', amount: '1000.00', byStage: { junior: '1250.00' } },
    BOTH,
    'national',
    'national standard: primary 1000, junior secondary 1250 yuan a year',
  ],
  [
    'COMPULSORY_BILINGUAL_BOARDER_LIVING',
    '义务教育：双语授课寄宿生生活补助',
    'compulsory',
    {
      all: [
        COMPULSORY,
        { attr: 'boarder', is: true },
        { attr: 'bilingual', is: true },
        { attr: 'special_education', is: false },
      ],
    },
    { kind: 'per_year', amount: '1500.00' },
    BOTH,
    'example',
  ],
  [
    'COMPULSORY_NONBOARDER_LIVING',
    '义务教育：建档立卡非寄宿生生活补助',
    'compulsory',
    { all: [COMPULSORY, { attr: 'boarder', is: false }, { attr: 'registered_poor', is: true }] },
    { kind: 'per_year', amount: '500.00', byStage: { junior: '625.00' } },
    BOTH,
    'national',
    'national standard: half the boarder rate',
  ],
  [
    'SENIOR_TUITION_WAIVER',
    '普通高中：免学费',
    'senior',
    { all: [{ attr: 'stage', in: ['senior'] }, DIFFICULTY] },
    inKind,
    BOTH,
    'national',
  ],
  [
    'SENIOR_TEXTBOOKS',
    '普通高中：免费教科书',
    'senior',
    { all: [{ attr: 'stage', in: ['senior'] }, DIFFICULTY] },
    inKind,
    BOTH,
    'example',
  ],
  [
    'SENIOR_NATIONAL_GRANT',
    '普通高中：国家助学金',
    'senior',
    { all: [{ attr: 'stage', in: ['senior'] }, DIFFICULTY] },
    { kind: 'per_year', amount: '2000.00' },
    BOTH,
    'national',
    'national standard: 2000 yuan a year on average',
  ],
  [
    'SENIOR_BILINGUAL_BOARDER_LIVING',
    '普通高中：双语授课寄宿生生活补助',
    'senior',
    {
      all: [
        { attr: 'stage', in: ['senior'] },
        { attr: 'boarder', is: true },
        { attr: 'bilingual', is: true },
      ],
    },
    { kind: 'per_year', amount: '1500.00' },
    BOTH,
    'example',
  ],
  [
    'VOCATIONAL_TUITION_WAIVER',
    '中等职业教育：免学费',
    'vocational',
    { attr: 'stage', in: ['vocational'] },
    inKind,
    BOTH,
    'national',
  ],
  [
    'VOCATIONAL_TEXTBOOKS',
    '中等职业教育：免费教科书',
    'vocational',
    { all: [{ attr: 'stage', in: ['vocational'] }, DIFFICULTY] },
    inKind,
    BOTH,
    'example',
  ],
  [
    'VOCATIONAL_NATIONAL_GRANT',
    '中等职业教育：国家助学金',
    'vocational',
    { all: [{ attr: 'stage', in: ['vocational'] }, DIFFICULTY] },
    { kind: 'per_year', amount: '2000.00' },
    BOTH,
    'national',
    'national standard: 2000 yuan a year',
  ],
  [
    'VOCATIONAL_NATIONAL_SCHOLARSHIP',
    '中等职业教育：国家奖学金',
    'vocational',
    { selection: true },
    { kind: 'per_year', amount: '6000.00' },
    ['autumn'],
    'national',
    'national standard: 6000 yuan a year; awarded by selection, granted one by one',
  ],
  [
    'VOCATIONAL_BOARDER_LIVING',
    '中等职业教育：寄宿生生活补助',
    'vocational',
    { all: [{ attr: 'stage', in: ['vocational'] }, { attr: 'boarder', is: true }, DIFFICULTY] },
    { kind: 'per_year', amount: '1000.00' },
    BOTH,
    'example',
  ],
  [
    'SPECIAL_EDUCATION_BOARDER_LIVING',
    '特殊教育学生：寄宿生生活补助（按双语标准）',
    'special',
    {
      all: [
        { attr: 'special_education', is: true },
        { attr: 'boarder', is: true },
        { attr: 'stage', in: ['primary', 'junior', 'senior', 'vocational'] },
      ],
    },
    { kind: 'per_year', amount: '1500.00' },
    BOTH,
    'example',
    'at the bilingual boarder rate',
  ],
  [
    'HIGHER_STUDENT_LOAN',
    '高等教育：生源地信用助学贷款',
    'higher',
    { all: [{ attr: 'stage', in: ['higher'] }, DIFFICULTY] },
    inKind,
    ['autumn'],
    'national',
    'a loan through the bank, not paid by the bureau',
  ],
  [
    'HIGHER_TRANSPORT_IN_PROVINCE',
    '高校新生入学路费（区内）',
    'higher',
    {
      all: [
        { attr: 'stage', in: ['higher'] },
        { attr: 'new_entrant', is: true },
        { attr: 'out_of_province', is: false },
        POOR_HOUSEHOLD,
      ],
    },
    { kind: 'fixed_per_term', amount: '500.00' },
    ['autumn'],
    'national',
  ],
  [
    'HIGHER_TRANSPORT_OUT_OF_PROVINCE',
    '高校新生入学路费（区外）',
    'higher',
    {
      all: [
        { attr: 'stage', in: ['higher'] },
        { attr: 'new_entrant', is: true },
        { attr: 'out_of_province', is: true },
        POOR_HOUSEHOLD,
      ],
    },
    { kind: 'fixed_per_term', amount: '1000.00' },
    ['autumn'],
    'national',
  ],
  [
    'HIGHER_NEW_STUDENT_AID',
    '高校新生资助（建档立卡、低保、孤儿家庭）',
    'higher',
    { all: [{ attr: 'stage', in: ['higher'] }, { attr: 'new_entrant', is: true }, POOR_HOUSEHOLD] },
    { kind: 'fixed_per_term', amount: '1000.00' },
    ['autumn'],
    'example',
  ],
];

/**
 * Issue 5: the policy catalogue (versioned, dated), the aid roster, computation runs with
 * their input snapshots and maker-checker approval, payment files with reversals and
 * irregularities, coverage gaps, and the link to dropout cases.
 */
export class AidCatalogue1764400005000 implements MigrationInterface {
  name = 'AidCatalogue1764400005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aid_policy (
        code text NOT NULL,
        version int NOT NULL CHECK (version > 0),
        name text NOT NULL,
        stage text NOT NULL,
        eligibility jsonb NOT NULL,
        amount jsonb NOT NULL,
        terms text[] NOT NULL,
        due_by jsonb NOT NULL,
        effective_from date NOT NULL,
        effective_to date,
        retired boolean NOT NULL DEFAULT false,
        basis text NOT NULL CHECK (basis IN ('national', 'example', 'local')),
        note text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (code, version)
      )`);
    for (const [code, name, stage, eligibility, amount, terms, basis, note] of CATALOGUE) {
      await q.query(
        `INSERT INTO aid_policy (code, version, name, stage, eligibility, amount, terms, due_by, effective_from, basis, note, created_by)
         VALUES ($1, 1, $2, $3, $4, $5, $6, $7, '2020-01-01', $8, $9, 'seed')`,
        [
          code,
          name,
          stage,
          JSON.stringify(eligibility),
          JSON.stringify(amount),
          terms,
          JSON.stringify(Object.fromEntries(terms.map((t) => [t, DUE[t as keyof typeof DUE]]))),
          basis,
          note ??
            (basis === 'example' ? 'example figure, not a national standard: set the local amount' : null),
        ],
      );
    }

    // The aid roster: a student by studentKey; the ID number only masked, the name for matching payments.
    await q.query(`
      CREATE TABLE aid_student (
        student_key char(64) PRIMARY KEY,
        id_masked text NOT NULL,
        name text NOT NULL,
        county_code char(6) NOT NULL,
        school_code text NOT NULL,
        stage text NOT NULL,
        grade smallint NOT NULL,
        boarder boolean NOT NULL,
        bilingual boolean NOT NULL,
        registered_poor boolean NOT NULL,
        low_income boolean NOT NULL,
        extreme_poverty boolean NOT NULL,
        orphan boolean NOT NULL,
        disability_level smallint NOT NULL,
        special_education boolean NOT NULL,
        mongolian_kindergarten boolean NOT NULL DEFAULT false,
        new_entrant boolean NOT NULL DEFAULT false,
        out_of_province boolean NOT NULL DEFAULT false,
        term_fee_fen bigint,
        import_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX aid_student_county ON aid_student (county_code)`);

    // A computation of one term's entitlements: prepared by an operator, approved by an auditor.
    await q.query(`
      CREATE TABLE entitlement_run (
        id uuid PRIMARY KEY,
        term text NOT NULL,
        county_code char(6),
        status text NOT NULL CHECK (status IN ('prepared', 'approved', 'rejected')),
        prepared_by text NOT NULL,
        prepared_at timestamptz NOT NULL,
        decided_by text,
        decided_at timestamptz,
        entitlements int NOT NULL DEFAULT 0,
        amount_due_fen bigint NOT NULL DEFAULT 0,
        policies jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX entitlement_run_term ON entitlement_run (term, status)`);
    await q.query(`ALTER TABLE entitlement DROP CONSTRAINT entitlement_status_check`);
    await q.query(
      `ALTER TABLE entitlement ADD CONSTRAINT entitlement_status_check CHECK (status IN ('prepared', 'due', 'overdue', 'settled'))`,
    );
    await q.query(`
      ALTER TABLE entitlement
        ADD COLUMN policy_version int,
        ADD COLUMN run_id uuid REFERENCES entitlement_run (id),
        ADD COLUMN prepared_by text,
        ADD COLUMN approved_by text,
        ADD COLUMN approved_at timestamptz,
        ADD COLUMN paid_on_time_fen bigint NOT NULL DEFAULT 0,
        ADD COLUMN settled_on date,
        ADD COLUMN short_since date,
        ADD COLUMN dropout_case_id uuid,
        ADD COLUMN input_stage text,
        ADD COLUMN input_grade smallint,
        ADD COLUMN input_flags int,
        ADD COLUMN input_disability_level smallint,
        ADD COLUMN input_term_fee_fen bigint`);
    // Entitlements granted before maker-checker existed count as approved.
    await q.query(
      `UPDATE entitlement SET approved_by = 'before-maker-checker', approved_at = created_at, paid_on_time_fen = amount_paid_fen`,
    );
    await q.query(`CREATE INDEX entitlement_run_id ON entitlement (run_id) WHERE run_id IS NOT NULL`);
    await q.query(`CREATE INDEX entitlement_term_county ON entitlement (term, county_code)`);
    // Approval, payments and sweeps change status and amounts: with no index on them and room
    // on every page, those updates are HOT (no index writes), which is what keeps a million-row
    // approval or payment file fast. The sweep reads the table, not an index.
    await q.query(`DROP INDEX entitlement_county`);
    await q.query(`DROP INDEX entitlement_due`);
    await q.query(`ALTER TABLE entitlement SET (fillfactor = 50)`);

    await q.query(`ALTER TABLE payment DROP CONSTRAINT payment_amount_fen_check`);
    await q.query(`ALTER TABLE payment ADD CONSTRAINT payment_amount_nonzero CHECK (amount_fen <> 0)`);
    await q.query(`
      ALTER TABLE payment
        ADD COLUMN county_code char(6),
        ADD COLUMN class text NOT NULL DEFAULT 'regular'
          CHECK (class IN ('regular', 'paid_twice', 'without_entitlement', 'name_mismatch', 'reversal')),
        ADD COLUMN reverses text,
        ADD COLUMN reversed_fen bigint NOT NULL DEFAULT 0,
        ADD COLUMN import_id uuid,
        ADD COLUMN line int`);
    await q.query(`CREATE INDEX payment_term ON payment (term, county_code)`);

    await q.query(`
      CREATE TABLE coverage_gap (
        student_key char(64) NOT NULL,
        policy_code text NOT NULL,
        term text NOT NULL,
        county_code char(6) NOT NULL,
        policy_version int NOT NULL,
        amount_fen bigint NOT NULL,
        found_on date NOT NULL,
        PRIMARY KEY (student_key, policy_code, term)
      )`);
    await q.query(`CREATE INDEX coverage_gap_term ON coverage_gap (term, county_code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coverage_gap');
    await q.query(`DROP INDEX payment_term`);
    await q.query(
      `ALTER TABLE payment DROP COLUMN county_code, DROP COLUMN class, DROP COLUMN reverses, DROP COLUMN reversed_fen, DROP COLUMN import_id, DROP COLUMN line`,
    );
    await q.query(`DELETE FROM payment WHERE amount_fen < 0`);
    await q.query(`ALTER TABLE payment DROP CONSTRAINT payment_amount_nonzero`);
    await q.query(`ALTER TABLE payment ADD CONSTRAINT payment_amount_fen_check CHECK (amount_fen > 0)`);
    await q.query(`ALTER TABLE entitlement RESET (fillfactor)`);
    await q.query(`CREATE INDEX entitlement_due ON entitlement (due_date) WHERE status = 'due'`);
    await q.query(`CREATE INDEX entitlement_county ON entitlement (county_code, status)`);
    await q.query(`DROP INDEX entitlement_term_county`);
    await q.query(`DROP INDEX entitlement_run_id`);
    await q.query(`DELETE FROM entitlement WHERE status = 'prepared'`);
    await q.query(`
      ALTER TABLE entitlement DROP COLUMN policy_version, DROP COLUMN run_id, DROP COLUMN prepared_by,
        DROP COLUMN approved_by, DROP COLUMN approved_at, DROP COLUMN paid_on_time_fen, DROP COLUMN settled_on,
        DROP COLUMN short_since, DROP COLUMN dropout_case_id, DROP COLUMN input_stage, DROP COLUMN input_grade,
        DROP COLUMN input_flags, DROP COLUMN input_disability_level, DROP COLUMN input_term_fee_fen`);
    await q.query(`ALTER TABLE entitlement DROP CONSTRAINT entitlement_status_check`);
    await q.query(
      `ALTER TABLE entitlement ADD CONSTRAINT entitlement_status_check CHECK (status IN ('due', 'overdue', 'settled'))`,
    );
    await q.query('DROP TABLE entitlement_run');
    await q.query('DROP TABLE aid_student');
    await q.query('DROP TABLE aid_policy');
  }
}
