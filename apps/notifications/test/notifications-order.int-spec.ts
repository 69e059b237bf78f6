import { randomUUID } from 'node:crypto';
import { createEnvelope } from '@edu/contracts';
import { FixedClock } from '@edu/service';
import { waitFor } from '@edu/testing';
import { AcceptNotificationRequestHandler } from '../src/notification/application/accept-notification-request.handler.js';
import { CancelEscalationNotificationsHandler } from '../src/notification/application/cancel-escalation-notifications.handler.js';
import { DispatchNotificationsHandler } from '../src/notification/application/dispatch-notifications.handler.js';
import { LocalSmppSink } from '../src/notification/channels/local/local-smpp-sink.js';
import { LocalSmtpSink } from '../src/notification/channels/local/local-smtp-sink.js';
import { noticeRequest, rowsOf, startService, type RunningService } from './notifications-fixture.js';

/*
 * A notice request and its escalation's resolution handled at the same time (different
 * replicas, or a retried event beside the other): each transaction sees nothing of the
 * other. The handlers are called directly, and the request's transaction is held, by a
 * trigger waiting on an advisory lock the test holds, between its reading "not resolved"
 * and its commit, while the resolution is handled in full.
 */

const HEAD = { officialId: 'WY-HEAD', name: '王明', title: '五原县教育局局长' };
/** The two-key advisory lock the trigger waits on (apart from the service's one-key locks). */
const HOLD = [4242, 1] as const;

describe('notifications: a notice request handled beside its escalation resolving', () => {
  let smsc: LocalSmppSink;
  let mail: LocalSmtpSink;
  let svc: RunningService;
  const clock = new FixedClock(new Date('2020-06-02T02:00:00Z'));

  beforeAll(async () => {
    smsc = await LocalSmppSink.start();
    mail = await LocalSmtpSink.start();
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

  it('sends no interview notice recorded while its escalation resolved', async () => {
    const { schema } = svc.db;
    const holder = svc.db.dataSource.createQueryRunner();
    await holder.connect();
    await holder.query(
      `CREATE FUNCTION "${schema}".hold_notification() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_advisory_xact_lock_shared(${HOLD[0]}, ${HOLD[1]}); RETURN NEW; END $$`,
    );
    await holder.query(
      `CREATE TRIGGER hold_notification BEFORE INSERT ON "${schema}".notification
       FOR EACH ROW EXECUTE FUNCTION "${schema}".hold_notification()`,
    );
    const escalationId = randomUUID();
    const request = noticeRequest({
      escalationId,
      recipient: { ...HEAD, phone: '13800000901', email: 'race@bureau.test' },
      channels: ['sms', 'email'],
    });
    let accepted: Promise<unknown>;
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [...HOLD]);
      accepted = svc.app.get(AcceptNotificationRequestHandler).execute(request);
      // The request has read "not resolved" and waits to insert its first message.
      await waitFor(
        () =>
          holder.query(
            `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2`,
            [...HOLD],
          ),
        (r: unknown[]) => r.length > 0,
        { what: 'the request held before its messages' },
      );
      await svc.app
        .get(CancelEscalationNotificationsHandler)
        .execute(
          createEnvelope(
            'supervision.escalation.resolved.v1',
            { escalationId, front: 'aid', countyCode: '150821', resolvedAt: clock.now().toISOString() },
            { producer: 'supervision', subject: escalationId, county: '150821' },
          ),
        );
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1, $2)', [...HOLD]);
    }
    await accepted;
    await holder.query(`DROP TRIGGER hold_notification ON "${schema}".notification`);
    await holder.query(`DROP FUNCTION "${schema}".hold_notification()`);
    await holder.release();
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
});
