import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { residentIdCheckChar } from '@edu/contracts';
import { waitFor } from '@edu/testing';
import { startSmsc, startSmtp } from './support/peers.js';
import { startSystem, type RunningSystem } from './support/system.js';

/*
 * The headline flow through five service processes, the real broker and database, a real
 * SMTP server and SMPP message centre: an unpaid subsidy and a new dropout case each reach
 * the county's responsible official (督办) and bureau head (约谈) by SMS and email, and
 * nobody else.
 */

const run = promisify(execFile);

function residentId(region: string, birth: string, seq: string): string {
  const first17 = region + birth + seq;
  return first17 + residentIdCheckChar(first17);
}

const AID_STUDENT = residentId('150821', '20090315', '123');
const DROPOUT_CHILD = residentId('150821', '20110620', '456');
const CHILD_NAME = '李小明';

const OFFICIALS = [
  'official_id,name,title,county_code,front,role,phone,email',
  'WY-AID,赵敏,五原县学生资助中心主任,150821,aid,responsible,13900000001,aid.wuyuan@example.cn',
  'WY-DROP,钱伟,五原县教育局基础教育股股长,150821,dropout,responsible,13900000002,dropout.wuyuan@example.cn',
  'WY-HEAD,孙强,五原县教育局局长,150821,all,bureau_head,13900000003,head.wuyuan@example.cn',
  'DK-HEAD,周丽,磴口县教育局局长,150822,all,bureau_head,13900000004,head.dengkou@example.cn',
  'BAD-1,吴军,某职务,999999,aid,responsible,13900000005,bad@example.cn',
].join('\n');

describe('headline flow: breach → escalation → 督办 and 约谈 by SMS and email', () => {
  let smsc: Awaited<ReturnType<typeof startSmsc>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let system: RunningSystem;
  let admin: string;

  const call = async (
    service: keyof RunningSystem['urls'],
    path: string,
    init: RequestInit = {},
    token = admin,
  ) => {
    const res = await fetch(`${system.urls[service]}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    smsc = await startSmsc();
    smtp = await startSmtp();
    system = await startSystem({
      SMPP_URL: smsc.url,
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'supervision@edu.example.cn',
      SWEEP_INTERVAL_MS: '0',
      OUTBOX_POLL_MS: '200',
      EVENT_RETRY_DELAY_MS: '500',
      DISPATCH_INTERVAL_MS: '200',
    });
    // The token a newcomer gets from `npm run token`.
    admin = (await run(process.execPath, ['dist/scripts/token.js', '--role', 'city_admin'])).stdout.trim();
  });

  afterAll(async () => {
    await system?.stop();
    await smsc?.close();
    await smtp?.close();
  });

  it('imports the officials, reporting the bad row by line and field', async () => {
    const res = await call('supervision', '/api/officials/import', {
      method: 'POST',
      body: OFFICIALS,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      received: 5,
      upserted: 4,
      rejected: [{ line: 6, field: 'county_code', reason: '999999 is not a jurisdiction of this city' }],
    });
  });

  it('refuses a resident ID number with a wrong check digit, naming the field', async () => {
    const wrong = DROPOUT_CHILD.slice(0, 17) + (DROPOUT_CHILD[17] === '1' ? '2' : '1');
    const res = await call('dropout-control', '/api/cases', {
      method: 'POST',
      body: JSON.stringify({
        studentIdNumber: wrong,
        name: CHILD_NAME,
        countyCode: '150821',
        schoolCode: 'WY-01',
        registeredPoor: true,
      }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('studentIdNumber');
    expect(JSON.stringify(res.body)).not.toContain(wrong);
  });

  it('an unpaid subsidy reaches the aid official (督办) and the bureau head (约谈)', async () => {
    const grant = await call('student-aid', '/api/entitlements', {
      method: 'POST',
      body: JSON.stringify({
        studentIdNumber: AID_STUDENT,
        countyCode: '150821',
        schoolCode: 'WY-01',
        policyCode: 'COMPULSORY_BOARDER_LIVING',
        term: '2020-autumn',
        amountDue: '625.00',
        dueDate: '2020-10-31',
      }),
    });
    expect(grant.status).toBe(201);
    const sweep = await call('student-aid', '/api/sweeps/overdue', { method: 'POST' });
    expect(sweep.body).toEqual({ raised: 1 });

    await waitFor(
      async () => smsc.received.length + smtp.received.length,
      (n) => n >= 4,
      {
        timeoutMs: 60000,
        what: '2 SMS and 2 emails',
      },
    );
    const head = smsc.received.find((m) => m.to === '13900000003');
    expect(head?.text).toContain('约谈');
    expect(head?.text).toContain('五原县');
    expect(head?.dataCoding).toBe(8);
    const headMail = smtp.received.find((m) => m.to.includes('head.wuyuan@example.cn'));
    expect(headMail?.subject).toContain('约谈');
    expect(headMail?.subject).toContain('五原县');
    expect(headMail?.from).toBe('supervision@edu.example.cn');
    const aid = smsc.received.find((m) => m.to === '13900000001');
    expect(aid?.text).toContain('督办');
    expect(smtp.received.find((m) => m.to.includes('aid.wuyuan@example.cn'))?.subject).toContain('督办');

    const escalations = await call('supervision', '/api/escalations?county=150821');
    expect(escalations.status).toBe(200);
    expect(escalations.body).toEqual([
      expect.objectContaining({
        front: 'aid',
        countyCode: '150821',
        status: 'open',
        level: 'interview',
        itemCount: 1,
        amount: '625.00',
        notifications: expect.arrayContaining([
          expect.objectContaining({ kind: 'supervision_notice', officialId: 'WY-AID' }),
          expect.objectContaining({ kind: 'interview_notice', officialId: 'WY-HEAD' }),
        ]),
      }),
    ]);
    expect(escalations.body[0].notifications).toHaveLength(2);

    const attempts = await waitFor(
      async () =>
        (await call('notifications', '/api/notifications?recipient=13900000003')).body as {
          status: string;
        }[],
      (rows) => rows.length === 1 && ['sent', 'delivered'].includes(rows[0].status),
      { what: 'the bureau head SMS recorded as sent' },
    );
    expect(attempts[0]).toEqual(expect.objectContaining({ channel: 'sms', kind: 'interview_notice' }));
  });

  it('a new dropout case reaches the dropout official (督办) and the bureau head (约谈)', async () => {
    const opened = await call('dropout-control', '/api/cases', {
      method: 'POST',
      body: JSON.stringify({
        studentIdNumber: DROPOUT_CHILD,
        name: CHILD_NAME,
        countyCode: '150821',
        schoolCode: 'WY-02',
        registeredPoor: true,
      }),
    });
    expect(opened.status).toBe(201);
    await waitFor(
      async () => smsc.received.length + smtp.received.length,
      (n) => n >= 8,
      {
        timeoutMs: 60000,
        what: '4 SMS and 4 emails in all',
      },
    );
    const dropout = smsc.received.find((m) => m.to === '13900000002');
    expect(dropout?.text).toContain('督办');
    expect(dropout?.text).toContain('控辍保学');
    const headSms = smsc.received.filter((m) => m.to === '13900000003');
    expect(headSms).toHaveLength(2);
    expect(headSms[1].text).toContain('约谈');
    expect(headSms[1].text).toContain('控辍保学');
    expect(smtp.received.filter((m) => m.to.includes('head.wuyuan@example.cn'))).toHaveLength(2);
  });

  it('paying the subsidy in full settles the entitlement and resolves the aid escalation, with no new messages', async () => {
    const paid = await call('student-aid', '/api/payments', {
      method: 'POST',
      body: JSON.stringify({
        studentIdNumber: AID_STUDENT,
        policyCode: 'COMPULSORY_BOARDER_LIVING',
        term: '2020-autumn',
        amount: '625.00',
        paidOn: '2020-11-05',
        reference: 'BANK-2020-000123',
      }),
    });
    expect(paid.status).toBe(201);
    expect(paid.body.entitlement).toMatchObject({ status: 'settled', amountPaid: '625.00' });
    const again = await call('student-aid', '/api/payments', {
      method: 'POST',
      body: JSON.stringify({
        studentIdNumber: AID_STUDENT,
        policyCode: 'COMPULSORY_BOARDER_LIVING',
        term: '2020-autumn',
        amount: '625.00',
        paidOn: '2020-11-05',
        reference: 'BANK-2020-000123',
      }),
    });
    expect(again.body).toMatchObject({ recorded: false, entitlement: { amountPaid: '625.00' } });
    const aid = await waitFor(
      async () =>
        (
          (await call('supervision', '/api/escalations?county=150821')).body as {
            front: string;
            status: string;
          }[]
        ).find((e) => e.front === 'aid'),
      (e) => e?.status === 'resolved',
      { what: 'the aid escalation resolved' },
    );
    expect(aid).toMatchObject({ openItemCount: 0, level: 'interview' });
  });

  it('told nobody else, and never showed a student identity to anyone', async () => {
    // Give any stray message time to arrive before counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect(smsc.received.map((m) => m.to).sort()).toEqual([
      '13900000001',
      '13900000002',
      '13900000003',
      '13900000003',
    ]);
    expect(smtp.received.flatMap((m) => m.to).sort()).toEqual([
      'aid.wuyuan@example.cn',
      'dropout.wuyuan@example.cn',
      'head.wuyuan@example.cn',
      'head.wuyuan@example.cn',
    ]);
    const everything = [
      ...smsc.received.map((m) => m.text),
      ...smtp.received.flatMap((m) => [m.subject, m.text, m.html]),
      system.output(),
    ].join('\n');
    for (const secret of [AID_STUDENT, DROPOUT_CHILD, CHILD_NAME]) expect(everything).not.toContain(secret);
  });

  it('exposes what happened as Prometheus metrics', async () => {
    const aid = await (await fetch(`${system.urls['student-aid']}/metrics`)).text();
    expect(aid).toMatch(/^outbox_published_total [1-9]/m);
    const supervision = await (await fetch(`${system.urls.supervision}/metrics`)).text();
    expect(supervision).toMatch(
      /events_handled_total\{service="supervision",key="aid.entitlement.overdue.v1",outcome="ok"\} 1/,
    );
  });
});
