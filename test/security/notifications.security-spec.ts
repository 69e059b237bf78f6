import { randomUUID } from 'node:crypto';
import type { Principal } from '@edu/auth';
import { createEnvelope } from '@edu/contracts';
import { openProbe, publishEnvelope, waitFor } from '@edu/testing';
import type { CountyFixture } from './support/route-security.js';
import { bootService, type RunningService } from './support/services.js';
import { describeRouteSecurity } from './support/suite.js';

const A = '150821';
const B = '150822';
const admin: Principal = { sub: 'admin', role: 'city_admin' };
const RECEIPT_TOKEN = 'receipt-token-for-the-security-test-0001';

/** An interview notice to the bureau head of `county`, as supervision asks for it. */
function request(county: string, who: { id: string; name: string; phone: string; email: string }) {
  const escalationId = randomUUID();
  return createEnvelope(
    'notification.requested.v1',
    {
      requestId: randomUUID(),
      kind: 'interview_notice',
      escalationId,
      countyCode: county,
      recipient: { officialId: who.id, name: who.name, title: '局长', phone: who.phone, email: who.email },
      channels: ['sms', 'email'],
      params: {
        cityName: '巴彦淖尔市',
        countyName: county === A ? '五原县' : '磴口县',
        frontName: '学生资助',
        itemCount: 1,
        amount: '625.00',
        level: 2,
        escalationId,
      },
    },
    { producer: 'supervision', subject: escalationId, county },
  );
}

describe('notifications: every route against tokens, roles, counties and hostile input', () => {
  let svc: RunningService;
  let fixture: CountyFixture;

  beforeAll(async () => {
    svc = await bootService('notifications', { SMS_RECEIPT_TOKEN: RECEIPT_TOKEN });
    const probe = await openProbe();
    publishEnvelope(
      probe.channel,
      svc.config.messaging.namespace,
      request(A, { id: 'WY-HEAD', name: '孙强', phone: '13900000003', email: 'wy@example.cn' }),
    );
    publishEnvelope(
      probe.channel,
      svc.config.messaging.namespace,
      request(B, { id: 'DK-HEAD', name: '周密', phone: '13900000013', email: 'dk@example.cn' }),
    );
    const listed = async (county: string) =>
      (await svc.call('GET', `/api/notifications?county=${county}`, admin)).body as { id: string }[];
    const [notificationB] = await waitFor(
      () => listed(B),
      (r) => r.length === 2,
      { what: "county B's notices" },
    );
    await waitFor(
      () => listed(A),
      (r) => r.length === 2,
      { what: "county A's notices" },
    );
    await probe.connection.close();
    fixture = {
      countyA: A,
      countyB: B,
      paramsB: { 'notifications:id': notificationB.id },
      shared: { provider: 'aliyun' },
      markersB: [notificationB.id, '周密', '13900000013', 'dk@example.cn', 'DK-HEAD', '磴口'],
      requestsB: {},
      cityWide: { 'GET /api/notice-templates': 'the wording of notices, the same for every county' },
    };
  });

  afterAll(() => svc?.close());

  describeRouteSecurity(() => ({ svc, fixture, secrets: [] }));

  it('takes SMS receipt pushes only with the receipt token, though the route is public', async () => {
    for (const token of [undefined, '', 'wrong-token', RECEIPT_TOKEN.slice(0, -1), [RECEIPT_TOKEN, 'x']]) {
      const query =
        token === undefined
          ? ''
          : `?${[token]
              .flat()
              .map((t) => `token=${encodeURIComponent(t)}`)
              .join('&')}`;
      const res = await svc.call('POST', `/api/sms-receipts/aliyun${query}`, undefined, []);
      expect(res.status).toBe(404);
    }
  });
});

describe('notifications: receipt pushes from an HTTP SMS provider, as the audit log keeps them', () => {
  let svc: RunningService;

  beforeAll(async () => {
    svc = await bootService('notifications', {
      SMS_PROVIDER: 'aliyun',
      SMS_API_URL: 'http://127.0.0.1:9/',
      SMS_ACCESS_KEY_ID: 'LTAI-security-test',
      SMS_ACCESS_KEY_SECRET: 'access-key-secret-for-the-security-test',
      SMS_RECEIPT_TOKEN: RECEIPT_TOKEN,
    });
  });

  afterAll(() => svc?.close());

  it('leaves the receipt token out of the audit log, taken or refused, and out of GET /api/audit', async () => {
    const pushes = [
      `token=${encodeURIComponent(RECEIPT_TOKEN)}`,
      `token=${encodeURIComponent(RECEIPT_TOKEN)}&token=${encodeURIComponent(RECEIPT_TOKEN)}`,
      `token=${encodeURIComponent(RECEIPT_TOKEN.slice(0, -1))}`,
    ];
    const receiptRows = () =>
      svc.sql<{ request: { query: Record<string, unknown> } }>(
        `SELECT request FROM audit_log WHERE action = 'POST /api/sms-receipts/:provider' ORDER BY id`,
      );
    const before = (await receiptRows()).length;
    const statuses = [];
    for (const q of pushes) {
      statuses.push((await svc.call('POST', `/api/sms-receipts/aliyun?${q}`, undefined, [])).status);
    }
    expect(statuses).toEqual([200, 404, 404]);
    // A refused push's row is written as its answer goes out.
    const rows = await waitFor(receiptRows, (r) => r.length >= before + 3, {
      what: 'the audit rows of the receipt pushes',
    });
    expect(rows.length).toBe(before + 3);
    expect(rows.slice(-3).map((r) => r.request.query)).toEqual(Array(3).fill({ token: '[secret]' }));
    const stored = JSON.stringify(await svc.sql('SELECT * FROM audit_log'));
    const shown = (await svc.call('GET', '/api/audit?limit=1000', admin)).text;
    for (const where of [stored, shown]) {
      expect(where).not.toContain(RECEIPT_TOKEN.slice(0, -1));
      expect(where).not.toContain(encodeURIComponent(RECEIPT_TOKEN.slice(0, -1)));
    }
  });
});
