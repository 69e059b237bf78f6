import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, residentIdCheckChar } from '@edu/contracts';
import type { Outbox } from '@edu/messaging';
import { FixedClock } from '@edu/service';
import type { CaseMoments } from '../../dropout-case/application/case-moment.js';
import type {
  CaseOpening,
  DropoutCaseRepository,
} from '../../dropout-case/persistence/dropout-case.repository.js';
import { readDropoutControlConfig } from '../../dropout-control.config.js';
import type { CrosscheckPolicy } from '../domain/school-age.js';
import type { CrosscheckRepository, OpenCandidate } from '../persistence/crosscheck.repository.js';
import { RunCrosscheckHandler } from './run-crosscheck.handler.js';

const config = readDropoutControlConfig({});
const policy: CrosscheckPolicy = {
  effectiveFrom: '2020-01-01',
  schoolAgeFrom: 6,
  schoolAgeTo: 15,
  preschoolFromAge: 3,
  juniorFromAge: 12,
  poorStatuses: ['registered_poor'],
};

function candidate(seq: number, finding = 'dropped'): OpenCandidate {
  const first17 = `150821201203153${String(seq).padStart(2, '0')}`;
  return {
    caseId: randomUUID(),
    idNumber: first17 + residentIdCheckChar(first17),
    name: `child ${seq}`,
    householdId: `H${seq}`,
    countyCode: '150821',
    township: 'T',
    village: 'V',
    povertyStatus: 'registered_poor',
    povertyDisability: 'none',
    studentDisability: null,
    schoolCode: 'WY-001',
    finding: finding as OpenCandidate['finding'],
  };
}

/** What the handler asked of the database, in order; each statement must end before the next begins. */
class FakeDatabase {
  readonly log: string[] = [];
  readonly events: { key: string; subject: string }[] = [];
  readonly tracked: string[][] = [];
  private busy = false;
  private inserts = 0;

  constructor(
    private readonly batches: OpenCandidate[][],
    /** Case ids the case insert skips (the child has an open case). */
    private readonly taken = new Set<string>(),
    /** The case insert of this batch (1-based) fails. */
    private readonly failingInsert = 0,
  ) {}

  private async statement<T>(what: string, result: () => T): Promise<T> {
    if (this.busy) throw new Error(`${what} sent while a statement runs`);
    this.busy = true;
    this.log.push(what);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.busy = false;
    return result();
  }

  get idle(): boolean {
    return !this.busy;
  }

  runs(): CrosscheckRepository {
    const statement = <T>(what: string, result: () => T) => this.statement(what, result);
    const { batches, tracked } = this;
    const none = () => statement('other', () => undefined);
    return {
      start: async () => undefined,
      fail: async () => undefined,
      lock: none,
      policyOn: () => statement('policy', () => policy),
      buildLedger: none,
      async *openCandidates() {
        for (const [i, batch] of batches.entries()) yield await statement(`fetch ${i + 1}`, () => batch);
        await statement('close', () => undefined);
      },
      linkTracked: async (_em: EntityManager, _run: string, ids: string[]) => {
        if (ids.length > 0) await statement('link', () => tracked.push(ids));
      },
      reopenCandidates: () => statement('reopen', () => []),
      setActions: none,
      countPerCounty: none,
      relocationDemand: () => statement('demand', () => []),
      complete: none,
      pruneLedgers: none,
      summary: async () => ({}),
    } as unknown as CrosscheckRepository;
  }

  cases(): DropoutCaseRepository {
    return {
      insertOpening: (_em: EntityManager, opening: CaseOpening | null) => {
        const n = ++this.inserts;
        const ids = opening === null ? [] : this.batches[n - 1].map((c) => c.caseId);
        return this.statement(`insert ${n}`, () => {
          if (n === this.failingInsert) throw new Error('insert failed');
          return new Set(ids.filter((id) => !this.taken.has(id)));
        });
      },
    } as unknown as DropoutCaseRepository;
  }

  outbox(): Outbox {
    const write = (envelopes: { key: string; subject: string }[]) =>
      this.statement(`outbox ${envelopes.length}`, () => {
        this.events.push(...envelopes);
        return [];
      });
    return {
      addMany: (_em: EntityManager, events: { key: string; meta: { subject: string } }[]) =>
        write(events.map((e) => ({ key: e.key, subject: e.meta.subject }))),
      // Built with no statement, as the real one does.
      envelopes: (events: { key: string; meta: { subject: string } }[]) =>
        events.map((e) => ({ key: e.key, subject: e.meta.subject })),
      addEnvelopes: (_em: EntityManager, envelopes: { key: string; subject: string }[]) => write(envelopes),
    } as unknown as Outbox;
  }
}

function handlerOn(db: FakeDatabase): RunCrosscheckHandler {
  const clock = new FixedClock(new Date('2020-09-10T02:00:00Z'));
  const dataSource = { transaction: (work: (em: EntityManager) => unknown) => work({} as EntityManager) };
  const moments = {
    at: () => ({
      now: clock.now(),
      today: clock.today(),
      deadlines: config.caseDeadlines,
      by: { sub: 'a', role: 'city_admin' },
    }),
  } as unknown as CaseMoments;
  return new RunCrosscheckHandler(
    dataSource as unknown as DataSource,
    db.runs(),
    db.cases(),
    db.outbox(),
    moments,
    clock,
    config,
  );
}

describe('RunCrosscheckHandler: opening cases', () => {
  const admin = { sub: 'a', role: 'city_admin' as const };

  it('reads the next batch before writing one, one statement at a time, one event per case inserted', async () => {
    const batches = [[candidate(1), candidate(2)], [candidate(3), candidate(4)], [candidate(5)]];
    const taken = batches[1][0].caseId;
    const db = new FakeDatabase(batches, new Set([taken]));
    await handlerOn(db).execute({ trigger: 'request' }, admin);
    const opening = db.log.slice(db.log.indexOf('fetch 1'), db.log.indexOf('reopen'));
    expect(opening).toEqual([
      'fetch 1',
      'fetch 2',
      'insert 1',
      'outbox 2',
      'fetch 3',
      'insert 2',
      'outbox 1',
      'link',
      'close',
      'insert 3',
      'outbox 1',
    ]);
    expect(db.events).toEqual(
      [1, 2, 4, 5].map((seq) => ({ key: 'dropout.case.opened.v1', subject: batches.flat()[seq - 1].caseId })),
    );
    // The child someone else opened a case for is linked to that case, not given a second one.
    expect(db.tracked).toEqual([[batches[1][0].idNumber]]);
  });

  it('fails the run when the next batch cannot be opened, once the write in flight has ended', async () => {
    const db = new FakeDatabase([[candidate(1)], [candidate(2, 'moved_away')]]);
    await expect(handlerOn(db).execute({ trigger: 'request' }, admin)).rejects.toBeInstanceOf(DomainError);
    expect(db.idle).toBe(true);
    expect(db.log.filter((l) => /^(fetch|insert|outbox)/.test(l))).toEqual([
      'fetch 1',
      'fetch 2',
      'insert 1',
    ]);
  });

  it('leaves no failed write unhandled when the next batch cannot be opened either', async () => {
    const db = new FakeDatabase([[candidate(1)], [candidate(2, 'moved_away')]], new Set(), 1);
    await expect(handlerOn(db).execute({ trigger: 'request' }, admin)).rejects.toBeInstanceOf(DomainError);
    expect(db.idle).toBe(true);
  });

  it('fails the run when the case insert fails, with no event written', async () => {
    const db = new FakeDatabase([[candidate(1)]], new Set(), 1);
    await expect(handlerOn(db).execute({ trigger: 'request' }, admin)).rejects.toThrow('insert failed');
    expect(db.log.some((l) => l.startsWith('outbox'))).toBe(false);
  });

  it('opens nothing when the ledger has no one to open a case for', async () => {
    const db = new FakeDatabase([]);
    await handlerOn(db).execute({ trigger: 'request' }, admin);
    expect(db.log.filter((l) => /^(insert|outbox|link)/.test(l))).toEqual([]);
  });
});
