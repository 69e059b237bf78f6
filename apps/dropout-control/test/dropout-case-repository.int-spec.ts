import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { residentIdCheckChar } from '@edu/contracts';
import { createTestDatabase, type TestDatabase } from '@edu/testing';
import { DropoutCase, type CaseMoment } from '../src/dropout-case/domain/dropout-case.js';
import { DropoutCaseEntity } from '../src/dropout-case/persistence/dropout-case.entity.js';
import { DropoutCaseRepository } from '../src/dropout-case/persistence/dropout-case.repository.js';
import { readDropoutControlConfig } from '../src/dropout-control.config.js';
import { migrations } from '../src/migrations/index.js';

/** A valid resident ID number for a child born 2012-03-15 in Wuyuan, sequence `seq`. */
function idNumber(seq: number): string {
  const first17 = `150821201203153${String(seq).padStart(2, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

const moment: CaseMoment = {
  now: new Date('2020-09-10T02:00:00Z'),
  today: '2020-09-10',
  deadlines: readDropoutControlConfig({}).caseDeadlines,
  by: { sub: 'admin', role: 'city_admin' },
};

/** A case as the cross-check opens it; the student key is made unique per child here. */
function opened(seq: number, householdId: string | null, village = 'V1', finding = 'dropped'): DropoutCase {
  return DropoutCase.open(
    {
      id: randomUUID(),
      studentKey: String(seq).padStart(64, '0'),
      studentIdNumber: idNumber(seq),
      name: `child ${seq}`,
      countyCode: '150821',
      schoolCode: 'WY-001',
      registeredPoor: true,
      householdId,
      township: 'T1',
      village,
      source: 'crosscheck',
      finding,
      crosscheckId: '00000000-0000-4000-8000-000000000001',
    },
    moment,
  ).dropoutCase;
}

describe('DropoutCaseRepository.insertManyIfNoOpenCase on the real database', () => {
  let db: TestDatabase;
  let repo: DropoutCaseRepository;

  beforeAll(async () => {
    db = await createTestDatabase('dcrepo', [DropoutCaseEntity], migrations);
    repo = new DropoutCaseRepository(db.dataSource);
  });

  afterAll(async () => {
    await db?.drop();
  });

  const rows = (sql: string) => db.dataSource.query<Record<string, unknown>[]>(sql);

  it('writes the cases, one history line each and a plan per household, in one go', async () => {
    const batch = [opened(1, 'H1'), opened(2, 'H1', 'V2', 'suspended'), opened(3, null), opened(4, 'H2')];
    const ids = batch.map((c) => c.state.id);
    const inserted = await db.dataSource.transaction((em) => repo.insertManyIfNoOpenCase(em, batch));
    expect([...inserted].sort()).toEqual([...ids].sort());
    await expect(rows('SELECT id FROM dropout_case ORDER BY id')).resolves.toEqual(
      [...ids].sort().map((id) => ({ id })),
    );
    await expect(
      rows(
        `SELECT case_id, action, from_state, to_state, by_sub, by_role, detail FROM case_history ORDER BY case_id`,
      ),
    ).resolves.toEqual(
      batch
        .map((c) => ({
          case_id: c.state.id,
          action: 'open',
          from_state: null,
          to_state: 'opened',
          by_sub: 'admin',
          by_role: 'city_admin',
          detail: { finding: c.state.finding, crosscheckId: '00000000-0000-4000-8000-000000000001' },
        }))
        .sort((a, b) => (a.case_id < b.case_id ? -1 : 1)),
    );
    // One plan per household, whichever of its cases came first; none for a case without one.
    const plans = await rows(
      'SELECT household_id, county_code, township, village FROM household_plan ORDER BY 1',
    );
    expect(plans).toHaveLength(2);
    expect(plans[0]).toMatchObject({ household_id: 'H1', county_code: '150821', township: 'T1' });
    expect(['V1', 'V2']).toContain(plans[0].village);
    expect(plans[1]).toEqual({ household_id: 'H2', county_code: '150821', township: 'T1', village: 'V1' });
    // Their history was written: the aggregates hold none to write again.
    expect(batch.every((c) => c.pullHistory().length === 0)).toBe(true);
  });

  it('skips a child with an open case, with its history and its household plan', async () => {
    await db.dataSource.query(`UPDATE household_plan SET measures = 'kept' WHERE household_id = 'H2'`);
    // Child 4 already has an open case (H2); child 5 is new in a new household; child 6 is new in H2.
    const again = opened(4, 'H9');
    const fresh = opened(5, 'H3');
    const sibling = opened(6, 'H2', 'V6');
    const inserted = await db.dataSource.transaction((em) =>
      repo.insertManyIfNoOpenCase(em, [again, fresh, sibling]),
    );
    expect([...inserted].sort()).toEqual([fresh.state.id, sibling.state.id].sort());
    await expect(
      rows(`SELECT count(*)::int AS n FROM dropout_case WHERE student_id_number = '${idNumber(4)}'`),
    ).resolves.toEqual([{ n: 1 }]);
    await expect(
      rows(`SELECT count(*)::int AS n FROM case_history WHERE case_id = '${again.state.id}'`),
    ).resolves.toEqual([{ n: 0 }]);
    await expect(
      rows(
        `SELECT count(*)::int AS n FROM case_history WHERE case_id IN ('${fresh.state.id}', '${sibling.state.id}')`,
      ),
    ).resolves.toEqual([{ n: 2 }]);
    // No plan for the skipped child's household; the existing plan of H2 is left as it was.
    await expect(
      rows('SELECT household_id, village, measures FROM household_plan ORDER BY 1'),
    ).resolves.toEqual([
      { household_id: 'H1', village: expect.any(String), measures: null },
      { household_id: 'H2', village: 'V1', measures: 'kept' },
      { household_id: 'H3', village: 'V1', measures: null },
    ]);
  });

  it('opens a single case the same way (the manual path), and nothing for an empty batch', async () => {
    const one = opened(7, 'H7');
    const inserted = await db.dataSource.transaction(async (em) => {
      await expect(repo.insertManyIfNoOpenCase(em, [])).resolves.toEqual(new Set());
      return repo.insertIfNoOpenCase(em, one);
    });
    expect(inserted).toBe(true);
    await expect(
      rows(`SELECT count(*)::int AS n FROM case_history WHERE case_id = '${one.state.id}'`),
    ).resolves.toEqual([{ n: 1 }]);
    await expect(rows(`SELECT household_id FROM household_plan WHERE household_id = 'H7'`)).resolves.toEqual([
      { household_id: 'H7' },
    ]);
    await expect(
      db.dataSource.transaction((em) => repo.insertIfNoOpenCase(em, opened(7, 'H8'))),
    ).resolves.toBe(false);
    await expect(rows(`SELECT household_id FROM household_plan WHERE household_id = 'H8'`)).resolves.toEqual(
      [],
    );
  });
});
