import { randomUUID } from 'node:crypto';
import { createEnvelope, type NotificationFailedV1 } from '@edu/contracts';
import { FixedClock } from '@edu/service';
import { waitFor } from '@edu/testing';
import { AcceptNotificationRequestHandler } from '../src/notification/application/accept-notification-request.handler.js';
import { CancelEscalationNotificationsHandler } from '../src/notification/application/cancel-escalation-notifications.handler.js';
import { DispatchNotificationsHandler } from '../src/notification/application/dispatch-notifications.handler.js';
import { LocalSmppSink } from '../src/notification/channels/local/local-smpp-sink.js';
import { LocalSmtpSink } from '../src/notification/channels/local/local-smtp-sink.js';
import {
  noticeRequest,
  outboxOf,
  rowsOf,
  startService,
  type RunningService,
} from './notifications-fixture.js';

/*
 * Two transactions about one notice running at the same time (different replicas, or a
 * retried event beside the other), where each may see nothing of the other. The handlers are
 * called directly, and a transaction is held, by a trigger waiting on an advisory lock the
 * test holds, between its reading and its commit, while the other runs.
 */

const HEAD = { officialId: 'WY-HEAD', name: '王明', title: '五原县教育局局长' };
const ESME_RINVDSTADR = 0x0b;
/** The two-key advisory lock the trigger waits on (apart from the service's one-key locks). */
const HOLD = [4242, 1] as const;

describe('notifications: transactions about one notice running beside each other', () => {
  let smsc: LocalSmppSink;
  let mail: LocalSmtpSink;
  let svc: RunningService;
  const clock = new FixedClock(new Date('2020-06-02T02:00:00Z'));

  beforeAll(async () => {
    smsc = await LocalSmppSink.start({
      respond: (part) => (part.to === '13800000902' ? ESME_RINVDSTADR : 0),
    });
    mail = await LocalSmtpSink.start({
      rcptReply: (address) => (address === 'refused@bureau.test' ? 550 : undefined),
    });
    svc = await startService(
      { SMPP_URL: smsc.url, SMTP_URL: mail.url, DISPATCH_INTERVAL_MS: '0' },
      { clock },
    );
  });

  afterAll(async () => {
    await svc?.close();
    await smsc?.close();
    await mail?.close();
  });

  /**
   * Runs `start` with its inserts into `table` matching `when` held inside their transaction
   * (a trigger waits on an advisory lock the test holds) until `ready` says enough of them
   * wait — held, or behind a held one — then runs `meanwhile`, lets them go and waits for all.
   */
  async function whileInsertsHeld(p: {
    table: string;
    when: string;
    start: () => Promise<unknown>;
    ready: (w: { held: number; behind: number }) => boolean;
    meanwhile?: () => Promise<unknown>;
  }): Promise<void> {
    const { schema } = svc.db;
    const holder = svc.db.dataSource.createQueryRunner();
    await holder.connect();
    await holder.query(
      `CREATE FUNCTION "${schema}".hold_insert() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_advisory_xact_lock_shared(${HOLD[0]}, ${HOLD[1]}); RETURN NEW; END $$`,
    );
    await holder.query(
      `CREATE TRIGGER hold_insert BEFORE INSERT ON "${schema}".${p.table} FOR EACH ROW
       WHEN (${p.when}) EXECUTE FUNCTION "${schema}".hold_insert()`,
    );
    const waiting = async (): Promise<{ held: number; behind: number }> => {
      const [r] = await holder.query(
        `WITH held AS (
           SELECT pid FROM pg_locks
           WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2)
         SELECT (SELECT count(*) FROM held)::int AS held,
                (SELECT count(*) FROM pg_stat_activity a
                 WHERE EXISTS (SELECT 1 FROM held h WHERE h.pid = ANY (pg_blocking_pids(a.pid))))::int AS behind`,
        [...HOLD],
      );
      return r;
    };
    let work: Promise<unknown> = Promise.resolve();
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [...HOLD]);
      work = p.start();
      await waitFor(waiting, p.ready, { what: `inserts into ${p.table} held` });
      await p.meanwhile?.();
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1, $2)', [...HOLD]);
    }
    await work;
    await holder.query(`DROP TRIGGER hold_insert ON "${schema}".${p.table}`);
    await holder.query(`DROP FUNCTION "${schema}".hold_insert()`);
    await holder.release();
  }

  /** supervision's word that the escalation resolved, now. */
  const resolution = (escalationId: string) =>
    createEnvelope(
      'supervision.escalation.resolved.v1',
      { escalationId, front: 'aid', countyCode: '150821', resolvedAt: clock.now().toISOString() },
      { producer: 'supervision', subject: escalationId, county: '150821' },
    );

  it('sends no interview notice again whose sender died before its escalation resolved', async () => {
    const escalationId = randomUUID();
    const request = noticeRequest({
      escalationId,
      recipient: { ...HEAD, phone: '13800000903' },
      channels: ['sms'],
    });
    await svc.app.get(AcceptNotificationRequestHandler).execute(request);
    // A dispatcher claimed it and died: its lease ran out a minute ago.
    await svc.db.dataSource.query(
      `UPDATE notification SET status = 'sending', attempts = 1, lease_id = $2, locked_until = $3
       WHERE request_id = $1`,
      [request.data.requestId, randomUUID(), new Date(clock.now().getTime() - 60_000)],
    );
    await svc.app.get(CancelEscalationNotificationsHandler).execute(resolution(escalationId));

    await svc.app.get(DispatchNotificationsHandler).execute();
    expect(smsc.messages().filter((m) => m.to === '13800000903')).toEqual([]);
    await expect(rowsOf(svc.db, request.data.requestId)).resolves.toEqual([
      expect.objectContaining({ channel: 'sms', status: 'cancelled', attempts: 1 }),
    ]);
  });

  it('sends no interview notice recorded while its escalation resolved', async () => {
    const escalationId = randomUUID();
    const request = noticeRequest({
      escalationId,
      recipient: { ...HEAD, phone: '13800000901', email: 'race@bureau.test' },
      channels: ['sms', 'email'],
    });
    await whileInsertsHeld({
      table: 'notification',
      when: 'true',
      start: () => svc.app.get(AcceptNotificationRequestHandler).execute(request),
      // The request has read "not resolved" and waits to insert its first message.
      ready: (w) => w.held > 0,
      meanwhile: () => svc.app.get(CancelEscalationNotificationsHandler).execute(resolution(escalationId)),
    });
    // Neither transaction saw the other: the messages were recorded as if nothing resolved.
    await expect(rowsOf(svc.db, request.data.requestId)).resolves.toEqual([
      expect.objectContaining({ channel: 'email', status: 'pending' }),
      expect.objectContaining({ channel: 'sms', status: 'pending' }),
    ]);

    await svc.app.get(DispatchNotificationsHandler).execute();
    expect(smsc.messages().filter((m) => m.to === '13800000901')).toEqual([]);
    expect(mail.received.filter((m) => m.to.includes('race@bureau.test'))).toEqual([]);
    await expect(rowsOf(svc.db, request.data.requestId)).resolves.toEqual([
      expect.objectContaining({ channel: 'email', status: 'cancelled' }),
      expect.objectContaining({ channel: 'sms', status: 'cancelled' }),
    ]);
  });

  it('leaves exactly one failure naming no other message when both channels fail at once', async () => {
    const request = noticeRequest({
      recipient: { ...HEAD, phone: '13800000902', email: 'refused@bureau.test' },
      channels: ['sms', 'email'],
    });
    await svc.app.get(AcceptNotificationRequestHandler).execute(request);
    const [email, sms] = await rowsOf(svc.db, request.data.requestId);
    // Each failure waits after deciding what its event says and before writing it: with no
    // turn-taking per request, both decide while the other is still being sent.
    await whileInsertsHeld({
      table: 'outbox',
      when: `NEW.routing_key = 'notification.failed.v1' AND NEW.subject IN ('${sms.id}', '${email.id}')`,
      // One pass claims both and sends them side by side; each outcome is its own transaction.
      start: () => svc.app.get(DispatchNotificationsHandler).execute(),
      // Both failures held, or one held and the other waiting behind it.
      ready: (w) => w.held === 2 || (w.held === 1 && w.behind > 0),
    });

    await expect(rowsOf(svc.db, request.data.requestId)).resolves.toEqual([
      expect.objectContaining({ channel: 'email', status: 'failed' }),
      expect.objectContaining({ channel: 'sms', status: 'failed' }),
    ]);
    const named = [];
    for (const { id } of [sms, email]) {
      const events = (await outboxOf(svc.db, id)).filter((e) => e.routing_key === 'notification.failed.v1');
      expect(events).toHaveLength(1);
      named.push((events[0].envelope.data as NotificationFailedV1).fallbackNotificationId);
    }
    // The first to fail names the other; the last names none, and supervision escalates.
    expect([
      [email.id, undefined],
      [undefined, sms.id],
    ]).toContainEqual(named);
  });
});
