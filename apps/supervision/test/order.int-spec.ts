import { randomUUID } from 'node:crypto';
import { createEnvelope, type EventKey, type EventMap } from '@edu/contracts';
import { FixedClock } from '@edu/service';
import type { TestDatabase } from '@edu/testing';
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
});
