import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { createEnvelope, type EventKey, type EventMap } from '@edu/contracts';
import { FixedClock } from '@edu/service';
import type { TestDatabase } from '@edu/testing';
import { RecordBreachHandler } from '../src/escalation/application/record-breach.handler.js';
import { SettleItemHandler } from '../src/escalation/application/settle-item.handler.js';
import { BreachConsumer } from '../src/escalation/messaging/breach.consumer.js';
import { NoticeOutcomeConsumer } from '../src/escalation/messaging/notice-outcome.consumer.js';
import { startSupervision, unpaidEntitlement } from './supervision-fixture.js';

/*
 * Events handled in the wrong order: an older event of a subject after a newer one (it came
 * back from the retry queue), called straight on the consumers with constructed envelopes.
 */

const OFFICIALS = [
  'official_id,name,title,county_code,front,role,phone,email',
  'A1,赵敏,资助中心主任,150821,aid,responsible,13900000001,',
  'H1,孙强,局长,150821,all,bureau_head,13900000003,head@example.cn',
  'D1,周丽,控辍保学办主任,150822,dropout,responsible,13900000004,',
  'D2,吴涛,控辍保学办主任,150823,dropout,responsible,13900000005,',
  'C1,郑华,市教育局发展规划科科长,150800,all,responsible,13900000009,city@example.cn',
  'C2,冯刚,市教育局局长,150800,all,bureau_head,,citytop@example.cn',
].join('\n');

const at = (iso: string) => new Date(iso);

describe('supervision: older events handled after newer ones', () => {
  const clock = new FixedClock(at('2020-11-02T02:00:00Z'));
  let service: Awaited<ReturnType<typeof startSupervision>>;
  let db: TestDatabase;
  let breaches: BreachConsumer;
  let outcomes: NoticeOutcomeConsumer;

  const envelope = <K extends EventKey>(key: K, data: EventMap[K], subject: string, occurredAt: string) =>
    createEnvelope(key, data, { producer: 'test', subject, county: '150800', occurredAt: at(occurredAt) });

  const reopened = (caseId: string, countyCode: string, when: string) =>
    envelope(
      'dropout.case.reopened.v1',
      {
        caseId,
        studentKey: 'c'.repeat(64),
        countyCode,
        schoolCode: 'S',
        previousResolution: 'returned',
        reopenedAt: when,
        verifyBy: '2020-12-01',
      },
      caseId,
      when,
    );

  const resolved = (caseId: string, countyCode: string, when: string) =>
    envelope(
      'dropout.case.resolved.v1',
      { caseId, studentKey: 'c'.repeat(64), countyCode, resolution: 'returned', resolvedAt: when },
      caseId,
      when,
    );

  const escalations = (countyCode: string, breachType: string) =>
    db.dataSource.query<{ status: string; open_items: number }[]>(
      `SELECT status, (SELECT count(*) FROM escalation_item i WHERE i.escalation_id = e.id AND i.settled_at IS NULL)::int
         AS open_items
       FROM escalation e WHERE county_code = $1 AND breach_type = $2 ORDER BY opened_at`,
      [countyCode, breachType],
    );

  // A site's shortfall of primary seats and its restoration (the site is the item).
  const shortfall = (siteCode: string, countyCode: string, when: string) =>
    envelope(
      'construction.capacity.shortfall.v1',
      { siteCode, countyCode, stage: 'primary', demand: 120, seats: 100, shortfall: 20 },
      siteCode,
      when,
    );

  const capacityRestored = (siteCode: string, countyCode: string, when: string) =>
    envelope(
      'construction.capacity.restored.v1',
      { siteCode, countyCode, stage: 'primary', demand: 120, seats: 150 },
      siteCode,
      when,
    );

  /** The item in every escalation that held it (resolved ones first): open or settled, and the escalation's status. */
  const item = (itemKey: string) =>
    db.dataSource.query<{ status: string; open: boolean }[]>(
      `SELECT e.status, i.settled_at IS NULL AS open FROM escalation_item i JOIN escalation e ON e.id = i.escalation_id
       WHERE i.item_key = $1 ORDER BY e.resolved_at NULLS LAST`,
      [itemKey],
    );

  beforeAll(async () => {
    service = await startSupervision('supervision_order', clock, OFFICIALS);
    expect(service.imported).toMatchObject({ upserted: 6, rejected: [] });
    db = service.db;
    breaches = service.svc.app.get(BreachConsumer);
    outcomes = service.svc.app.get(NoticeOutcomeConsumer);
  });

  afterAll(() => service?.close());

  it('a reopening older than the case’s resolution opens nothing; a newer one does', async () => {
    const caseId = randomUUID();
    await breaches.onResolved(resolved(caseId, '150822', '2020-11-02T03:00:00Z'));
    // Reopened at 02:00 and resolved again at 03:00; the reopening came back from the retry queue.
    await breaches.onReopened(reopened(caseId, '150822', '2020-11-02T02:00:00Z'));
    await expect(escalations('150822', 'dropout')).resolves.toEqual([]);
    // Reopened once more after that resolution: a breach again.
    await breaches.onReopened(reopened(caseId, '150822', '2020-11-02T04:00:00Z'));
    await expect(escalations('150822', 'dropout')).resolves.toEqual([
      expect.objectContaining({ status: 'open', open_items: 1 }),
    ]);
  });

  it('a resolution older than a reopening leaves the reopening open; a newer one settles it', async () => {
    const caseId = randomUUID();
    await breaches.onReopened(reopened(caseId, '150823', '2020-11-02T05:00:00Z'));
    await expect(escalations('150823', 'dropout')).resolves.toEqual([
      expect.objectContaining({ status: 'open', open_items: 1 }),
    ]);
    // The resolution before that reopening, back from the retry queue.
    await breaches.onResolved(resolved(caseId, '150823', '2020-11-02T04:30:00Z'));
    await expect(escalations('150823', 'dropout')).resolves.toEqual([
      expect.objectContaining({ status: 'open', open_items: 1 }),
    ]);
    await breaches.onResolved(resolved(caseId, '150823', '2020-11-02T06:00:00Z'));
    await expect(escalations('150823', 'dropout')).resolves.toEqual([
      expect.objectContaining({ status: 'resolved', open_items: 0 }),
    ]);
  });

  it('an interview notice’s failure handled after its delivery escalates nothing', async () => {
    const entitlementId = randomUUID();
    await breaches.onUnpaid(
      envelope(
        'aid.entitlement.overdue.v1',
        unpaidEntitlement(entitlementId, '150821'),
        entitlementId,
        '2020-11-02T01:00:00Z',
      ),
    );
    const [notice] = (
      await db.dataSource.query<{ envelope: { data: EventMap['notification.requested.v1'] } }[]>(
        `SELECT envelope FROM outbox WHERE routing_key = 'notification.requested.v1' ORDER BY seq`,
      )
    )
      .map((r) => r.envelope.data)
      .filter((d) => d.kind === 'interview_notice' && d.countyCode === '150821');
    expect(notice).toMatchObject({ recipient: { officialId: 'H1' } });
    const ref = { requestId: notice.requestId, officialId: 'H1' };
    await outcomes.onDelivered(
      envelope(
        'notification.delivered.v1',
        { ...ref, notificationId: randomUUID(), channel: 'email', deliveredAt: '2020-11-02T02:10:00Z' },
        notice.escalationId,
        '2020-11-02T02:10:00Z',
      ),
    );
    // The SMS gave up earlier (the email had been recorded beside it: no fallback to name).
    await outcomes.onFailed(
      envelope(
        'notification.failed.v1',
        {
          ...ref,
          kind: 'interview_notice',
          notificationId: randomUUID(),
          channel: 'sms',
          attempt: 8,
          reason: 'unreachable',
        },
        notice.escalationId,
        '2020-11-02T02:05:00Z',
      ),
    );
    await expect(escalations('150821', 'notice_failure')).resolves.toEqual([]);
    await expect(
      db.dataSource.query('SELECT delivered_at, failed_channel FROM escalation_notice WHERE id = $1', [
        notice.requestId,
      ]),
    ).resolves.toEqual([{ delivered_at: at('2020-11-02T02:10:00Z'), failed_channel: 'sms' }]);
  });

  /*
   * An item that breaches again after it was settled: shortfall at 01:00, restored at 02:00,
   * short again at 03:00. The 02:00 restoration came back from the retry queue after the 03:00
   * shortfall, which found the item still open and changed nothing.
   */

  it('a capacity restoration older than a repeated shortfall leaves the item open; a newer one settles it', async () => {
    const site = `SITE-${randomUUID()}`;
    await breaches.onShortfall(shortfall(site, '150824', '2020-11-01T01:00:00Z'));
    await breaches.onShortfall(shortfall(site, '150824', '2020-11-01T03:00:00Z'));
    await breaches.onCapacity(capacityRestored(site, '150824', '2020-11-01T02:00:00Z'));
    await expect(escalations('150824', 'construction')).resolves.toEqual([
      expect.objectContaining({ status: 'open', open_items: 1 }),
    ]);
    await expect(
      db.dataSource.query(
        `SELECT 1 FROM outbox WHERE routing_key = 'supervision.escalation.resolved.v1' AND envelope->>'county' = $1`,
        ['150824'],
      ),
    ).resolves.toEqual([]);
    // Restored again at 04:00: after the latest shortfall, so it settles the item.
    await breaches.onCapacity(capacityRestored(site, '150824', '2020-11-01T04:00:00Z'));
    await expect(escalations('150824', 'construction')).resolves.toEqual([
      expect.objectContaining({ status: 'resolved', open_items: 0 }),
    ]);
  });

  it('a shortfall older than the latest restoration opens nothing; a restoration older than the latest shortfall settles nothing', async () => {
    const site = `SITE-${randomUUID()}`;
    const key = `construction.capacity:${site}:primary`;
    // Short 01:00, restored 02:00, short 03:00, restored 04:00, short 05:00; handled 01, 04, 03, 05, 02.
    await breaches.onShortfall(shortfall(site, '150825', '2020-11-01T01:00:00Z'));
    await breaches.onCapacity(capacityRestored(site, '150825', '2020-11-01T04:00:00Z'));
    await expect(item(key)).resolves.toEqual([{ status: 'resolved', open: false }]);
    await breaches.onShortfall(shortfall(site, '150825', '2020-11-01T03:00:00Z'));
    await expect(item(key)).resolves.toEqual([{ status: 'resolved', open: false }]);
    await breaches.onShortfall(shortfall(site, '150825', '2020-11-01T05:00:00Z'));
    await expect(item(key)).resolves.toEqual([
      { status: 'resolved', open: false },
      { status: 'open', open: true },
    ]);
    await breaches.onCapacity(capacityRestored(site, '150825', '2020-11-01T02:00:00Z'));
    await expect(item(key)).resolves.toEqual([
      { status: 'resolved', open: false },
      { status: 'open', open: true },
    ]);
  });

  it('a budget restoration older than a repeated overrun leaves it open; in order, the repeated overrun opens again', async () => {
    const inOrder = randomUUID();
    const late = randomUUID();
    const overrun = (projectId: string, when: string) =>
      envelope(
        'construction.budget.overrun.v1',
        {
          projectId,
          countyCode: '150826',
          budget: '1000000.00',
          spent: '1200000.00',
          overrun: '200000.00',
          tolerancePercent: 0,
          detectedOn: when.slice(0, 10),
        },
        projectId,
        when,
      );
    const restored = (projectId: string, when: string) =>
      envelope(
        'construction.budget.restored.v1',
        {
          projectId,
          countyCode: '150826',
          budget: '1300000.00',
          spent: '1200000.00',
          restoredOn: when.slice(0, 10),
        },
        projectId,
        when,
      );
    // One project's events in order, the other's restoration after its second overrun.
    await breaches.onOverrun(overrun(inOrder, '2020-10-01T01:00:00Z'));
    await breaches.onRestored(restored(inOrder, '2020-10-02T01:00:00Z'));
    await breaches.onOverrun(overrun(inOrder, '2020-10-03T01:00:00Z'));
    await expect(item(`construction.budget:${inOrder}`)).resolves.toEqual([
      { status: 'resolved', open: false },
      { status: 'open', open: true },
    ]);
    await breaches.onOverrun(overrun(late, '2020-10-04T01:00:00Z'));
    await breaches.onOverrun(overrun(late, '2020-10-06T01:00:00Z'));
    await breaches.onRestored(restored(late, '2020-10-05T01:00:00Z'));
    await expect(item(`construction.budget:${late}`)).resolves.toEqual([{ status: 'open', open: true }]);
    await expect(item(`construction.budget:${inOrder}`)).resolves.toEqual([
      { status: 'resolved', open: false },
      { status: 'open', open: true },
    ]);
  });

  it('a progress resumption older than a repeated stall leaves the stall open', async () => {
    const projectId = randomUUID();
    const stall = { projectId, countyCode: '150802', since: '2020-08-01', stalledAfterDays: 30 };
    // Stalled on 1 October, resumed on the 10th, stalled again on the 20th.
    for (const on of ['2020-10-01', '2020-10-20'])
      await breaches.onStalled(
        envelope(
          'construction.progress.stalled.v1',
          { ...stall, detectedOn: on },
          projectId,
          `${on}T01:00:00Z`,
        ),
      );
    await breaches.onResumed(
      envelope(
        'construction.progress.resumed.v1',
        { projectId, countyCode: '150802', stalledSince: '2020-10-01', resumedOn: '2020-10-10' },
        projectId,
        '2020-10-10T01:00:00Z',
      ),
    );
    await expect(escalations('150802', 'construction')).resolves.toEqual([
      expect.objectContaining({ status: 'open', open_items: 1 }),
    ]);
  });

  it('an entitlement’s settlement older than its short payment (after a reversal) leaves it open', async () => {
    const entitlementId = randomUUID();
    const settled = (when: string) =>
      envelope(
        'aid.entitlement.settled.v1',
        {
          entitlementId,
          studentKey: 'a'.repeat(64),
          countyCode: '150822',
          policyCode: 'P1',
          term: '2020-autumn',
          amountPaid: '625.00',
          settledAt: when,
        },
        entitlementId,
        when,
      );
    // Unpaid, then paid in full, then part of the payment reversed: short.
    await breaches.onUnpaid(
      envelope(
        'aid.entitlement.overdue.v1',
        unpaidEntitlement(entitlementId, '150822'),
        entitlementId,
        '2020-11-01T01:00:00Z',
      ),
    );
    await breaches.onShort(
      envelope(
        'aid.payment.short.v1',
        {
          entitlementId,
          studentKey: 'a'.repeat(64),
          countyCode: '150822',
          policyCode: 'P1',
          term: '2020-autumn',
          amountDue: '625.00',
          amountPaid: '300.00',
          shortfall: '325.00',
        },
        entitlementId,
        '2020-11-01T03:00:00Z',
      ),
    );
    await breaches.onSettled(settled('2020-11-01T02:00:00Z'));
    await expect(escalations('150822', 'aid')).resolves.toEqual([
      expect.objectContaining({ status: 'open', open_items: 1 }),
    ]);
    await breaches.onSettled(settled('2020-11-01T04:00:00Z'));
    await expect(escalations('150822', 'aid')).resolves.toEqual([
      expect.objectContaining({ status: 'resolved', open_items: 0 }),
    ]);
  });

  it('a case’s resolution older than the case’s overdue after a reopening leaves the case open', async () => {
    const caseId = randomUUID();
    const student = { caseId, studentKey: 'c'.repeat(64), countyCode: '150824' };
    await breaches.onDropout(
      envelope(
        'dropout.case.opened.v1',
        { ...student, schoolCode: 'S', openedAt: '2020-11-01T01:00:00Z', verifyBy: '2020-11-10' },
        caseId,
        '2020-11-01T01:00:00Z',
      ),
    );
    // Resolved at 02:00 (handled late), reopened at 03:00, overdue in its new cycle at 04:00.
    await breaches.onReopened(reopened(caseId, '150824', '2020-11-01T03:00:00Z'));
    await breaches.onCaseOverdue(
      envelope(
        'dropout.case.overdue.v1',
        { ...student, state: 'opened', deadline: '2020-11-01' },
        caseId,
        '2020-11-01T04:00:00Z',
      ),
    );
    await breaches.onResolved(resolved(caseId, '150824', '2020-11-01T02:00:00Z'));
    await expect(item(`dropout.case:${caseId}`)).resolves.toEqual([{ status: 'open', open: true }]);
  });

  it('a restoration handled while a newer shortfall’s transaction is open waits for it, then settles nothing', async () => {
    const site = `SITE-${randomUUID()}`;
    const key = `construction.capacity:${site}:primary`;
    await breaches.onShortfall(shortfall(site, '150821', '2020-11-01T01:00:00Z'));
    const record = service.svc.app.get(RecordBreachHandler);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let recorded!: () => void;
    const inside = new Promise<void>((r) => (recorded = r));
    // The 03:00 shortfall's transaction, held open between its handling and its commit.
    const held = service.svc.app.get(DataSource).transaction(async (em) => {
      await record.execute(em, shortfall(site, '150821', '2020-11-01T03:00:00Z'));
      recorded();
      await gate;
    });
    await inside;
    let settled = false;
    const settling = breaches
      .onCapacity(capacityRestored(site, '150821', '2020-11-01T02:00:00Z'))
      .then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    release();
    await held;
    await settling;
    await expect(item(key)).resolves.toEqual([{ status: 'open', open: true }]);
  });
  /** Runs `work` in a transaction held open until the returned `release` is called. */
  const holdOpen = async (work: (em: EntityManager) => Promise<void>) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let done!: () => void;
    const inside = new Promise<void>((r) => (done = r));
    const held = service.svc.app.get(DataSource).transaction(async (em) => {
      await work(em);
      done();
      await gate;
    });
    await inside;
    return { release, held };
  };

  /** Whether `work` is still waiting 300 ms after it started, then its result once `release`d. */
  const waitsFor = async (work: Promise<unknown>, hold: { release: () => void; held: Promise<void> }) => {
    let finished = false;
    const running = work.then(() => (finished = true));
    await new Promise((r) => setTimeout(r, 300));
    const waited = !finished;
    hold.release();
    await hold.held;
    await running;
    return waited;
  };

  it('a reopening handled while a newer resolution’s transaction is open waits for it, then opens nothing', async () => {
    const caseId = randomUUID();
    const settle = service.svc.app.get(SettleItemHandler);
    const hold = await holdOpen((em) =>
      settle.execute(
        em,
        `dropout.case:${caseId}`,
        resolved(caseId, '150822', '2020-11-03T03:00:00Z'),
        undefined,
        {
          prefix: `dropout.case:${caseId}:reopened:`,
          upTo: '2020-11-03T03:00:00Z',
        },
      ),
    );
    const waited = await waitsFor(
      breaches.onReopened(reopened(caseId, '150822', '2020-11-03T02:00:00Z')),
      hold,
    );
    expect(waited).toBe(true);
    await expect(item(`dropout.case:${caseId}:reopened:2020-11-03T02:00:00Z`)).resolves.toEqual([]);
  });

  it('a resolution handled while an older reopening’s transaction is open waits for it, then settles it', async () => {
    const caseId = randomUUID();
    const record = service.svc.app.get(RecordBreachHandler);
    const hold = await holdOpen((em) =>
      record.execute(em, reopened(caseId, '150823', '2020-11-03T05:00:00Z')),
    );
    const waited = await waitsFor(
      breaches.onResolved(resolved(caseId, '150823', '2020-11-03T06:00:00Z')),
      hold,
    );
    expect(waited).toBe(true);
    await expect(item(`dropout.case:${caseId}:reopened:2020-11-03T05:00:00Z`)).resolves.toEqual([
      { status: 'resolved', open: false },
    ]);
  });
});
