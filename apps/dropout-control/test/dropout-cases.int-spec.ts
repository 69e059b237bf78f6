import 'reflect-metadata';
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { residentIdCheckChar, studentKeyOf } from '@edu/contracts';
import { DEV_AUTH_DEFAULTS, signToken, type Principal } from '@edu/auth';
import { declareExchanges, topologyNames } from '@edu/messaging';
import { FixedClock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  openProbe,
  startTestService,
  type TestDatabase,
  testMessagingConfig,
  waitFor,
} from '@edu/testing';
import { AppModule } from '../src/app.module.js';
import { DropoutCaseEntity } from '../src/dropout-case/persistence/dropout-case.entity.js';
import { readDropoutControlConfig, type DropoutControlConfig } from '../src/dropout-control.config.js';
import { migrations } from '../src/migrations/index.js';

const SERVICE = 'dropout-control';

/** A valid resident ID number for a child born 2012-03-15 in Wuyuan, sequence `seq`. */
function idNumber(seq: number): string {
  const first17 = `150821201203153${String(seq).padStart(2, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** The JSON the API answers with: a case view, a list of them, or an error. */
interface Body {
  id: string;
  name?: string;
  studentIdNumber?: string;
  message?: unknown;
  [field: string]: unknown;
}

interface Reply {
  status: number;
  text: string;
  body: Body;
}

interface Received {
  routingKey: string;
  content: string;
  envelope: { type: string; subject: string; county: string; data: Record<string, unknown> };
}

describe('dropout-control on the real database and broker', () => {
  const clock = new FixedClock(new Date('2020-06-01T02:00:00Z'));
  const messaging = testMessagingConfig(SERVICE);
  const names = topologyNames(messaging.namespace);
  const written: string[] = [];
  let db: TestDatabase;
  let config: DropoutControlConfig;
  let app: INestApplication;
  let base: string;
  let probe: Awaited<ReturnType<typeof openProbe>>;
  const queues: Record<string, string> = {};

  const admin: Principal = { sub: 'admin', role: 'city_admin' };
  const wuyuan: Principal = { sub: 'op-wuyuan', role: 'county_operator', county: '150821' };
  const dengkou: Principal = { sub: 'op-dengkou', role: 'county_operator', county: '150822' };
  const viewer: Principal = { sub: 'viewer', role: 'viewer' };

  async function call(method: string, path: string, who: Principal, body?: unknown): Promise<Reply> {
    const token = await signToken(who, DEV_AUTH_DEFAULTS);
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: (text ? JSON.parse(text) : {}) as Body };
  }

  const count = async (sql: string, params: unknown[] = []) =>
    (await db.dataSource.query<{ n: number }[]>(sql, params))[0].n;

  /** Reads the probe queue for `key` until a message about `caseId` arrives. */
  async function receive(key: string, caseId: string) {
    const seen: Received[] = [];
    await waitFor(
      async () => {
        const m = await probe.channel.get(queues[key], { noAck: true });
        if (m) {
          const content = m.content.toString();
          seen.push({ routingKey: m.fields.routingKey, content, envelope: JSON.parse(content) });
        }
        return seen;
      },
      (s) => s.some((x) => x.envelope.data.caseId === caseId),
      { what: `${key} for ${caseId}` },
    );
    return seen.filter((x) => x.envelope.data.caseId === caseId);
  }

  beforeAll(async () => {
    const capture = (s: unknown) => (written.push(String(s)), true);
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);

    db = await createTestDatabase('dropout', [DropoutCaseEntity], migrations);
    config = {
      ...readDropoutControlConfig({}),
      host: '127.0.0.1',
      port: 0,
      logLevel: 'verbose',
      migrateOnBoot: false,
      database: { url: db.url, schema: db.schema, poolSize: 5 },
      messaging,
      sweepIntervalMs: 0,
    };
    // Bind the probe queues before anything is published.
    probe = await openProbe();
    await declareExchanges(probe.channel, messaging.namespace);
    for (const key of ['dropout.case.opened.v1', 'dropout.case.resolved.v1', 'dropout.case.overdue.v1']) {
      const { queue } = await probe.channel.assertQueue('', { exclusive: true, autoDelete: true });
      await probe.channel.bindQueue(queue, names.events, key);
      queues[key] = queue;
    }
    ({ app, url: base } = await startTestService(AppModule.register(config, { clock }), config));
  });

  afterAll(async () => {
    await app?.close();
    await probe?.connection.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, [SERVICE]);
    jest.restoreAllMocks();
  });

  describe('POST /api/cases', () => {
    const id = idNumber(1);
    const name = '张小明';
    const request = {
      studentIdNumber: id,
      name,
      countyCode: '150821',
      schoolCode: 'WY-001',
      registeredPoor: true,
    };
    let caseId: string;

    it('opens a case: 201, the ID number masked, one outbox row that reaches the broker without ID or name', async () => {
      const res = await call('POST', '/api/cases', wuyuan, { ...request, reason: 'disability' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        created: true,
        state: 'opened',
        name,
        reason: 'disability',
        countyCode: '150821',
        studentIdNumber: `150821********${id.slice(14)}`,
        deadline: '2020-06-08',
      });
      expect(res.text).not.toContain(id);
      caseId = res.body.id;

      const rows = await db.dataSource.query<{ routing_key: string; envelope: unknown }[]>(
        'SELECT routing_key, envelope FROM outbox WHERE subject = $1',
        [caseId],
      );
      expect(rows.map((r) => r.routing_key)).toEqual(['dropout.case.opened.v1']);
      const stored = JSON.stringify(rows[0].envelope);
      expect(stored).not.toContain(id.slice(0, 17));
      expect(stored).not.toContain(name);

      const [message, ...more] = await receive('dropout.case.opened.v1', caseId);
      expect(more).toEqual([]);
      expect(message.routingKey).toBe('dropout.case.opened.v1');
      expect(message.envelope).toMatchObject({
        type: 'dropout.case.opened',
        subject: caseId,
        county: '150821',
      });
      expect(message.envelope.data).toEqual({
        caseId,
        studentKey: studentKeyOf(id, config.studentKeySecret),
        countyCode: '150821',
        schoolCode: 'WY-001',
        openedAt: '2020-06-01T02:00:00.000Z',
        verifyBy: '2020-06-08',
      });
      expect(message.content).not.toContain(id.slice(0, 17));
      expect(message.content).not.toContain(name);
      await waitFor(
        () =>
          count('SELECT count(*)::int AS n FROM outbox WHERE subject = $1 AND published_at IS NULL', [
            caseId,
          ]),
        (n) => n === 0,
        { what: 'outbox row marked published' },
      );
    });

    it('returns the open case and creates nothing when the child is posted again', async () => {
      const res = await call('POST', '/api/cases', admin, { ...request, schoolCode: 'WY-002' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: caseId, created: false, schoolCode: 'WY-001' });
      await expect(
        count('SELECT count(*)::int AS n FROM dropout_case WHERE student_key = $1', [
          studentKeyOf(id, config.studentKeySecret),
        ]),
      ).resolves.toBe(1);
      await expect(count('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [caseId])).resolves.toBe(
        1,
      );
    });

    it('opens one case when the same child is posted several times at once', async () => {
      const child = { ...request, studentIdNumber: idNumber(5), name: '赵小军' };
      const replies = await Promise.all(
        Array.from({ length: 5 }, () => call('POST', '/api/cases', wuyuan, child)),
      );
      expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
      expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
      expect(replies.filter((r) => r.body.created === true)).toHaveLength(1);
      await expect(
        count('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [replies[0].body.id]),
      ).resolves.toBe(1);
    });

    it('refuses a wrong check digit with 400 naming studentIdNumber, without echoing the number', async () => {
      const good = idNumber(2);
      const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
      const res = await call('POST', '/api/cases', wuyuan, { ...request, studentIdNumber: bad });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toMatch(/studentIdNumber .*check digit/);
      expect(res.text).not.toContain(bad.slice(0, 17));
      await expect(
        count('SELECT count(*)::int AS n FROM dropout_case WHERE student_key = $1', [
          studentKeyOf(bad, config.studentKeySecret),
        ]),
      ).resolves.toBe(0);
    });

    it('refuses a county operator opening a case in another county: 403, nothing stored', async () => {
      const other = idNumber(3);
      const outboxBefore = await count('SELECT count(*)::int AS n FROM outbox');
      const res = await call('POST', '/api/cases', wuyuan, {
        ...request,
        studentIdNumber: other,
        countyCode: '150822',
      });
      expect(res.status).toBe(403);
      await expect(
        count('SELECT count(*)::int AS n FROM dropout_case WHERE student_key = $1', [
          studentKeyOf(other, config.studentKeySecret),
        ]),
      ).resolves.toBe(0);
      await expect(count('SELECT count(*)::int AS n FROM outbox')).resolves.toBe(outboxBefore);
    });

    it('refuses a viewer: 403', async () => {
      const res = await call('POST', '/api/cases', viewer, { ...request, studentIdNumber: idNumber(4) });
      expect(res.status).toBe(403);
      await expect(
        count('SELECT count(*)::int AS n FROM dropout_case WHERE student_key = $1', [
          studentKeyOf(idNumber(4), config.studentKeySecret),
        ]),
      ).resolves.toBe(0);
    });

    it('shows the name to operators of the county only, and the case to nobody outside it', async () => {
      const asViewer = await call('GET', `/api/cases/${caseId}`, viewer);
      expect(asViewer.status).toBe(200);
      expect(asViewer.body.name).toBeUndefined();
      expect(asViewer.text).not.toContain(name);
      expect(asViewer.body.studentIdNumber).toBe(`150821********${id.slice(14)}`);
      await expect(call('GET', `/api/cases/${caseId}`, wuyuan)).resolves.toMatchObject({
        status: 200,
        body: { name },
      });
      await expect(call('GET', `/api/cases/${caseId}`, dengkou)).resolves.toMatchObject({ status: 404 });
      const dengkouList = await call('GET', '/api/cases', dengkou);
      expect(dengkouList.body).toEqual([]);
      await expect(call('GET', '/api/cases?county=150821', dengkou)).resolves.toMatchObject({ status: 403 });
      const list = await call('GET', '/api/cases?county=150821&state=opened', admin);
      const listed = list.body as unknown as Body[];
      expect(listed.map((c) => c.id)).toContain(caseId);
      expect(listed.every((c) => c.countyCode === '150821' && c.state === 'opened')).toBe(true);
      const closedOnly = await call('GET', '/api/cases?state=closed', admin);
      expect(closedOnly.body).toEqual([]);
    });
  });

  describe('transitions', () => {
    it('walks a case to closed through the API and publishes dropout.case.resolved', async () => {
      const opened = await call('POST', '/api/cases', admin, {
        studentIdNumber: idNumber(10),
        name: '李小红',
        countyCode: '150821',
        schoolCode: 'WY-001',
        registeredPoor: true,
      });
      const path = `/api/cases/${opened.body.id}`;
      await expect(call('POST', `${path}/verify`, wuyuan, {})).resolves.toMatchObject({
        status: 400,
        body: { error: 'CASE_REASON_REQUIRED' },
      });
      await expect(call('POST', `${path}/verify`, dengkou, { reason: 'work' })).resolves.toMatchObject({
        status: 404,
      });
      await expect(
        call('POST', `${path}/resolve`, wuyuan, { resolution: 'home_teaching' }),
      ).resolves.toMatchObject({
        status: 409,
        body: { error: 'CASE_ILLEGAL_TRANSITION' },
      });
      await expect(call('POST', `${path}/verify`, wuyuan, { reason: 'work' })).resolves.toMatchObject({
        status: 200,
        body: { state: 'verified', reason: 'work', deadline: '2020-06-15' },
      });
      await expect(
        call('POST', `${path}/plan`, wuyuan, {
          persuaders: { school: '王老师', township: '李乡长', village: '赵书记' },
        }),
      ).resolves.toMatchObject({ status: 200, body: { state: 'plan', deadline: '2020-07-01' } });
      await expect(
        call('POST', `${path}/resolve`, wuyuan, { resolution: 'returned', schoolCode: 'WY-003' }),
      ).resolves.toMatchObject({ status: 400, body: { error: 'CASE_ATTEMPT_REQUIRED' } });
      const attempt = await call('POST', `${path}/attempts`, wuyuan, {
        attemptedOn: '2020-06-01',
        persuaders: [
          { name: '王老师', role: 'school' },
          { name: '赵书记', role: 'village' },
        ],
        method: 'home_visit',
        outcome: 'agreed_to_return',
        note: '家长同意秋季返校',
      });
      expect(attempt).toMatchObject({ status: 201, body: { cycle: 0, recordedBy: 'op-wuyuan' } });
      await expect(call('GET', `${path}/attempts`, viewer)).resolves.toMatchObject({
        status: 200,
        body: [{ method: 'home_visit', outcome: 'agreed_to_return', attemptedOn: '2020-06-01' }],
      });
      await expect(
        call('POST', `${path}/resolve`, wuyuan, { resolution: 'returned', schoolCode: 'WY-003' }),
      ).resolves.toMatchObject({ status: 200, body: { state: 'resolved', resolutionSchoolCode: 'WY-003' } });
      const [resolved] = await receive('dropout.case.resolved.v1', opened.body.id);
      expect(resolved.envelope.data).toMatchObject({ resolution: 'returned', countyCode: '150821' });
      await expect(call('POST', `${path}/close`, viewer, { evidence: 'x' })).resolves.toMatchObject({
        status: 403,
      });
      // Maker-checker: the operator who resolved it cannot also close it.
      await expect(
        call('POST', `${path}/close`, wuyuan, { evidence: '学籍号 G150821' }),
      ).resolves.toMatchObject({ status: 403, body: { error: 'CASE_SECOND_PERSON_REQUIRED' } });
      await expect(
        call('POST', `${path}/close`, admin, { evidence: '学籍号 G150821' }),
      ).resolves.toMatchObject({
        status: 200,
        body: { state: 'closed', deadline: null, resolvedBy: 'op-wuyuan', closedBy: 'admin' },
      });
      const history = await call('GET', `${path}/history`, wuyuan);
      expect((history.body as unknown as Body[]).map((h) => [h.action, h.to, h.by])).toEqual([
        ['open', 'opened', 'admin'],
        ['verify', 'verified', 'op-wuyuan'],
        ['plan', 'plan', 'op-wuyuan'],
        ['resolve', 'resolved', 'op-wuyuan'],
        ['close', 'closed', 'admin'],
      ]);
      await expect(call('GET', `${path}/history`, dengkou)).resolves.toMatchObject({ status: 404 });
    });
  });

  describe('overdue sweep', () => {
    it('raises dropout.case.overdue once per case and state, only for city admins', async () => {
      const opened = await call('POST', '/api/cases', admin, {
        studentIdNumber: idNumber(20),
        name: '王小刚',
        countyCode: '150822',
        schoolCode: 'DK-001',
        registeredPoor: false,
      });
      const caseId = opened.body.id;
      await expect(call('POST', '/api/sweeps/overdue', wuyuan)).resolves.toMatchObject({ status: 403 });

      clock.set(new Date('2020-06-08T02:00:00Z')); // the verify deadline itself
      const onDeadline = await call('POST', '/api/sweeps/overdue', admin);
      expect(onDeadline.body).toEqual({ raised: 0 });

      clock.set(new Date('2020-06-09T02:00:00Z'));
      // The three cases still opened since 1 June are overdue now; the closed one is not.
      const first = await call('POST', '/api/sweeps/overdue', admin);
      expect(first).toMatchObject({ status: 200, body: { raised: 3 } });
      const again = await call('POST', '/api/sweeps/overdue', admin);
      expect(again.body).toEqual({ raised: 0 });

      const [overdue] = await receive('dropout.case.overdue.v1', caseId);
      expect(overdue.envelope.data).toMatchObject({
        state: 'opened',
        deadline: '2020-06-08',
        countyCode: '150822',
      });
      expect(overdue.content).not.toContain('王小刚');
      await expect(
        count("SELECT count(*)::int AS n FROM outbox WHERE routing_key = 'dropout.case.overdue.v1'"),
      ).resolves.toBe(3);

      // Verified late: the next state has a deadline of its own, reported once too.
      await call('POST', `/api/cases/${caseId}/verify`, admin, { reason: 'illness' }); // plan by 2020-06-23
      clock.set(new Date('2020-06-24T02:00:00Z'));
      await expect(call('POST', '/api/sweeps/overdue', admin)).resolves.toMatchObject({
        body: { raised: 1 },
      });
      await expect(call('POST', '/api/sweeps/overdue', admin)).resolves.toMatchObject({
        body: { raised: 0 },
      });
      const states = await db.dataSource.query<{ envelope: { data: { state: string } } }[]>(
        "SELECT envelope FROM outbox WHERE subject = $1 AND routing_key = 'dropout.case.overdue.v1' ORDER BY seq",
        [caseId],
      );
      expect(states.map((r) => r.envelope.data.state)).toEqual(['opened', 'verified']);
    });
  });

  it('documents its routes at /api/docs-json', async () => {
    const res = await fetch(`${base}/api/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/cases',
        '/api/cases/{id}',
        '/api/cases/{id}/verify',
        '/api/cases/{id}/plan',
        '/api/cases/{id}/resolve',
        '/api/cases/{id}/close',
        '/api/sweeps/overdue',
        '/api/cases/export',
        '/api/cases/{id}/attempts',
        '/api/cases/{id}/history',
        '/api/cases/{id}/assess',
        '/api/cases/{id}/reopen',
        '/api/cases/{id}/home-teaching',
        '/api/registry/students/import',
        '/api/registry/poverty/import',
        '/api/imports/{id}',
        '/api/crosscheck',
        '/api/crosscheck/{id}',
        '/api/crosscheck/{id}/children',
        '/api/crosscheck-policies',
        '/api/households',
        '/api/households/{householdId}/plan',
        '/api/home-teaching/coverage',
        '/api/home-teaching/plans/{planId}/visits',
      ]),
    );
  });

  it('never wrote an ID number or a child name to the logs', () => {
    const all = written.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const seq of [1, 2, 3, 4, 5, 10, 20]) expect(all).not.toContain(idNumber(seq).slice(0, 17));
    for (const name of ['张小明', '赵小军', '李小红', '王小刚']) expect(all).not.toContain(name);
  });
});
