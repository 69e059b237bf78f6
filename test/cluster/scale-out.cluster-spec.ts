import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import { residentIdCheckChar } from '@edu/contracts';
import { waitFor } from '@edu/testing';
import type { ServiceName } from '../../scripts/services.js';
import { startCountingSmsc, startCountingSmtp } from './support/peers.js';
import { RabbitCluster, type BrokerNode, type QueueMembers } from './support/rabbit-cluster.js';
import { ServiceReplicas, type Replica } from './support/replicas.js';

/*
 * Scale-out on this machine: a 3-node RabbitMQ cluster of its own (ports 5681-5683, never
 * the machine's node on 5672), quorum queues on all three nodes, two replicas of each of
 * the five services. A stream of breaches enters through the producing services' own APIs
 * (student-aid entitlements past their due date, found by the overdue sweepers of both
 * replicas; dropout cases opened), flows through supervision's escalations to notifications
 * and out by SMS (SMPP) and email (SMTP) to local peers. Meanwhile one broker node is
 * stopped and later started again, and one replica of every service is killed with
 * SIGKILL. Then, from the databases and the peers: every breach reached its escalation,
 * no escalation step was taken twice, every requested notice was recorded once and sent
 * exactly once (at most twice in the documented crash window between a send and its mark).
 *
 *   npm run test:cluster          CLUSTER_BREACHES=5000 CLUSTER_RATE=100 by default
 */

const BREACHES = Number(process.env.CLUSTER_BREACHES ?? 5000);
const RATE = Number(process.env.CLUSTER_RATE ?? 100);
const IN_FLIGHT = 16;
const COUNTIES = Number(process.env.CLUSTER_COUNTIES ?? 60);
const FRONTS = ['aid', 'dropout'] as const;

type Front = (typeof FRONTS)[number];

interface Breach {
  front: Front;
  county: string;
  idNumber: string;
}

function residentId(region: string, i: number): string {
  // Children born 2012-2015, a distinct (birth date, sequence) per breach.
  const birth = new Date(Date.UTC(2012, 0, 1) + Math.floor(i / 900) * 86_400_000);
  const first17 =
    region + birth.toISOString().slice(0, 10).replace(/-/g, '') + String(i % 900).padStart(3, '0');
  return first17 + residentIdCheckChar(first17);
}

/** The breach stream: counties in contiguous blocks, so escalations open all along the stream. */
function breachPlan(counties: string[]): Breach[] {
  return Array.from({ length: BREACHES }, (_, i) => {
    const county = counties[Math.floor((i * counties.length) / BREACHES)];
    return { front: FRONTS[i % FRONTS.length], county, idNumber: residentId(county, i) };
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scale-out: 3 broker nodes, 2 replicas per service, broker node and replicas lost mid-stream', () => {
  const run = `cluster_${randomBytes(3).toString('hex')}`;
  const cluster = new RabbitCluster(3);
  let smsc: Awaited<ReturnType<typeof startCountingSmsc>>;
  let smtp: Awaited<ReturnType<typeof startCountingSmtp>>;
  let system: ServiceReplicas;
  let admin: string;
  let counties: string[];
  const events: string[] = [];
  const figures: [string, string | number][] = [];
  let t0 = 0;
  const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const note = (what: string) => events.push(`${at()}  ${what}`);
  let queuesAtStart: QueueMembers[] = [];
  let stopped: BrokerNode;

  beforeAll(async () => {
    t0 = Date.now();
    smsc = await startCountingSmsc();
    smtp = await startCountingSmtp();
    await cluster.start();
    note(`broker cluster up: ${(await cluster.runningNodes()).join(', ')}`);
    system = new ServiceReplicas(
      run,
      {
        AMQP_URLS: cluster.urls.join(','),
        SWEEP_INTERVAL_MS: '1000',
        OUTBOX_POLL_MS: '100',
        EVENT_RETRY_DELAY_MS: '500',
      },
      {
        notifications: {
          SMPP_URL: smsc.url,
          SMTP_URL: smtp.url,
          EMAIL_FROM: 'supervision@edu.example.cn',
          DISPATCH_INTERVAL_MS: '200',
          SMS_RATE_PER_SECOND: '0',
          EMAIL_RATE_PER_SECOND: '0',
          SMS_SEND_WINDOW: 'always',
          // The shortest lease: a message claimed by a killed replica is taken over 5 s later.
          NOTIFY_LEASE_MS: '5000',
          NOTIFY_RETRY_BASE_MS: '200',
        },
      },
    );
    await system.start(2);
    note('10 service replicas ready');
    admin = await signToken({ sub: 'cluster-test', role: 'city_admin' }, DEV_AUTH_DEFAULTS);

    // A province's worth of counties: the seeded city's, and more beside it.
    const seeded = (await system.query<{ code: string }>('supervision', 'SELECT code FROM jurisdiction')).map(
      (r) => r.code,
    );
    const own = seeded.filter((c) => !c.endsWith('00'));
    const extra = Array.from(
      { length: Math.max(0, COUNTIES - own.length) },
      (_, i) => `1599${String(i + 1).padStart(2, '0')}`,
    );
    await system.query(
      'supervision',
      `INSERT INTO jurisdiction (code, name, parent_code)
       SELECT c, '测试县' || c, '159900' FROM unnest($1::text[]) c ON CONFLICT DO NOTHING`,
      [extra],
    );
    counties = [...own, ...extra].slice(0, COUNTIES);
    const officials = [
      'official_id,name,title,county_code,front,role,phone,email',
      ...counties.flatMap((c, i) => [
        `R-${c},责任人${i},股长,${c},all,responsible,138${String(i).padStart(8, '0')},r${c}@example.cn`,
        `H-${c},局长${i},局长,${c},all,bureau_head,139${String(i).padStart(8, '0')},h${c}@example.cn`,
      ]),
    ].join('\n');
    const imported = await call(system.of('supervision')[0], '/api/officials/import', officials, 'text/csv');
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ upserted: counties.length * 2, rejected: [] });
    queuesAtStart = await cluster.queues(`${run}.`);
    note(`${queuesAtStart.length} queues declared`);
  }, 15 * 60_000);

  afterAll(async () => {
    process.stdout.write(
      `\nscale-out cluster run (${run})\n${events.map((e) => `  ${e}`).join('\n')}\n` +
        `${figures.map(([k, v]) => `  ${k.padEnd(58)} ${v}`).join('\n')}\n`,
    );
    await system?.stop().catch((e: Error) => process.stderr.write(`stopping services: ${e.message}\n`));
    await cluster.stop();
    // CLUSTER_LOG_DIR=<dir> keeps what every replica and broker node printed.
    const logDir = process.env.CLUSTER_LOG_DIR;
    if (logDir) {
      await mkdir(logDir, { recursive: true });
      for (const r of system?.replicas ?? [])
        await writeFile(join(logDir, `${r.service}-${r.index + 1}.log`), r.output);
      for (const n of cluster.nodes) await writeFile(join(logDir, `${n.name}.log`), cluster.log(n));
    }
    await smsc?.close();
    await smtp?.close();
  }, 5 * 60_000);

  async function call(replica: Replica, path: string, body: string, contentType = 'application/json') {
    const res = await fetch(`${replica.url}${path}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${admin}`, 'content-type': contentType },
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  }

  async function eventsHandled(replica: Replica): Promise<number> {
    try {
      const text = await (await fetch(`${replica.url}/metrics`)).text();
      return [...text.matchAll(/^events_handled_total\{[^}]*\} (\d+)/gm)].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
    } catch {
      return -1;
    }
  }

  it('declares every quorum queue with a member on each of the three nodes', () => {
    const names = cluster.nodes.map((n) => n.name).sort();
    const serviceQueues = queuesAtStart.filter((q) => !q.name.endsWith('.unrouted'));
    // supervision and notifications consume: queue, retry and dead-letter queues each.
    expect(serviceQueues.map((q) => q.name)).toEqual(
      expect.arrayContaining([`${run}.supervision`, `${run}.notifications`, `${run}.supervision.dlq`]),
    );
    for (const q of queuesAtStart) {
      expect({ name: q.name, type: q.type, members: q.members }).toEqual({
        name: q.name,
        type: 'quorum',
        members: names,
      });
    }
  });

  it(
    'carries a stream of breaches to notices while a broker node and a replica of each service are lost',
    async () => {
      const plan = breachPlan(counties);
      let submitted = 0;
      let retries = 0;
      const next = new Map<ServiceName, number>();
      const target = (service: ServiceName) => {
        const alive = system.alive(service);
        const i = (next.get(service) ?? 0) % alive.length;
        next.set(service, i + 1);
        return alive[i];
      };
      const send = async (b: Breach) => {
        const [service, path, payload] =
          b.front === 'aid'
            ? ([
                'student-aid',
                '/api/entitlements',
                {
                  studentIdNumber: b.idNumber,
                  countyCode: b.county,
                  schoolCode: 'S1',
                  policyCode: 'COMPULSORY_BOARDER_LIVING',
                  term: '2020-autumn',
                  amountDue: '625.00',
                  dueDate: '2020-10-31',
                },
              ] as const)
            : ([
                'dropout-control',
                '/api/cases',
                {
                  studentIdNumber: b.idNumber,
                  name: '王小明',
                  countyCode: b.county,
                  schoolCode: 'S1',
                  registeredPoor: true,
                },
              ] as const);
        // A replica that dies mid-request may or may not have committed: the calls are
        // idempotent (one entitlement per student, policy and term; one open case per child).
        for (let attempt = 1; ; attempt++) {
          try {
            const r = await call(target(service), path, JSON.stringify(payload));
            if (r.status === 200 || r.status === 201) return;
            if (r.status < 500 || attempt >= 30)
              throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
          } catch (e) {
            // fetch's own TypeError (another realm's under Jest): the connection failed or was cut.
            if (attempt >= 30 || (e as Error).name !== 'TypeError') throw e;
          }
          retries++;
          await sleep(200);
        }
      };

      // The faults, at fixed points of the stream, run beside it.
      const leaders = new Map<string, number>();
      for (const q of queuesAtStart) leaders.set(q.leader, (leaders.get(q.leader) ?? 0) + 1);
      stopped = cluster.nodes.reduce((a, b) =>
        (leaders.get(b.name) ?? 0) > (leaders.get(a.name) ?? 0) ? b : a,
      );
      const faults: { at: number; lane: 'broker' | 'replicas'; action: () => Promise<void> }[] = [
        {
          at: 0.2,
          lane: 'broker',
          action: async () => {
            note(
              `stopping broker node ${stopped.name} (leader of ${leaders.get(stopped.name) ?? 0} of our queues)`,
            );
            stopBegan = Date.now();
            await cluster.stopNode(stopped);
            note(`broker node ${stopped.name} stopped (SIGTERM, graceful)`);
          },
        },
        {
          at: 0.4,
          lane: 'replicas',
          action: async () => {
            // Of each service, the replica that has handled the most events: the active consumer.
            const victims = await Promise.all(
              (
                [
                  'dropout-control',
                  'student-aid',
                  'school-construction',
                  'supervision',
                  'notifications',
                ] as const
              ).map(async (service) => {
                const alive = system.alive(service);
                const handled = await Promise.all(alive.map((r) => eventsHandled(r)));
                return alive[handled.indexOf(Math.max(...handled))];
              }),
            );
            await Promise.all(victims.map((v) => system.kill(v)));
            note(
              `SIGKILL: ${victims.map((v) => `${v.service} #${v.index + 1}`).join(', ')} (the busiest replica of each)`,
            );
          },
        },
        {
          // After the stop has finished, however long the node takes to stop.
          at: 0.6,
          lane: 'broker',
          action: async () => {
            note(`restarting broker node ${stopped.name}`);
            await cluster.restartNode(stopped);
            note(`broker node ${stopped.name} running again`);
          },
        },
      ];
      // The broker faults run one after the other; the kills run beside them.
      const lanes = { broker: Promise.resolve(), replicas: Promise.resolve() };
      let stopBegan = 0;
      const fired = new Set<number>();

      const started = Date.now();
      note(`stream starts: ${BREACHES} breaches offered at ${RATE}/s`);
      const inFlight = new Set<Promise<void>>();
      for (let i = 0; i < plan.length; i++) {
        const due = started + (i * 1000) / RATE;
        if (due > Date.now()) await sleep(due - Date.now());
        while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
        for (const [k, f] of faults.entries()) {
          if (!fired.has(k) && i >= f.at * plan.length) {
            fired.add(k);
            lanes[f.lane] = lanes[f.lane].then(f.action);
          }
        }
        const p = send(plan[i]).then(() => {
          submitted++;
        });
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p)).catch(() => undefined);
      }
      await Promise.all(inFlight);
      const submitSeconds = (Date.now() - started) / 1000;
      note(
        `stream submitted: ${submitted} breaches in ${submitSeconds.toFixed(1)} s (${retries} calls retried on the other replica)`,
      );
      await Promise.all([lanes.broker, lanes.replicas]);

      // Every breach through to its notices: producers swept and relayed, supervision handled
      // every breach and relayed every notice request, notifications sent every message.
      const progress = async () => {
        const [aid] = await system.query<{ overdue: number; all: number }>(
          'student-aid',
          `SELECT count(*) FILTER (WHERE status = 'overdue')::int AS overdue, count(*)::int AS all FROM entitlement`,
        );
        const [cases] = await system.query<{ n: number }>(
          'dropout-control',
          'SELECT count(*)::int AS n FROM dropout_case',
        );
        const unpublished = async (s: ServiceName) =>
          (
            await system.query<{ n: number }>(
              s,
              'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
            )
          )[0].n;
        const [items] = await system.query<{ n: number }>(
          'supervision',
          'SELECT count(*)::int AS n FROM escalation_item',
        );
        const [notices] = await system.query<{ n: number }>(
          'supervision',
          'SELECT count(*)::int AS n FROM escalation_notice',
        );
        const [out] = await system.query<{ requests: number; open: number }>(
          'notifications',
          `SELECT (SELECT count(*) FROM notification_request)::int AS requests,
                count(*) FILTER (WHERE status NOT IN ('sent', 'delivered'))::int AS open FROM notification`,
        );
        return {
          breaches: aid.overdue + cases.n,
          entitlements: aid.all,
          items: items.n,
          notices: notices.n,
          requests: out.requests,
          open: out.open,
          unpublished:
            (await unpublished('student-aid')) +
            (await unpublished('dropout-control')) +
            (await unpublished('supervision')),
        };
      };
      const settled = await waitFor(
        progress,
        (p) =>
          p.breaches === BREACHES &&
          p.items === BREACHES &&
          p.notices > 0 &&
          p.requests === p.notices &&
          p.open === 0 &&
          p.unpublished === 0,
        { timeoutMs: 8 * 60_000, intervalMs: 1000, what: 'every breach through to its notices' },
      );
      // Anything still to come (a late duplicate) would show in the counts below.
      await sleep(3000);
      const endToEnd = (Date.now() - started) / 1000;
      note(`settled: ${JSON.stringify(settled)}`);

      // ---- every breach reached its escalation, exactly once
      const aidKeys = (
        await system.query<{ k: string }>(
          'student-aid',
          `SELECT 'aid.entitlement:' || id AS k FROM entitlement`,
        )
      ).map((r) => r.k);
      const caseKeys = (
        await system.query<{ k: string }>(
          'dropout-control',
          `SELECT 'dropout.case:' || id AS k FROM dropout_case`,
        )
      ).map((r) => r.k);
      const items = await system.query<{ k: string; n: number }>(
        'supervision',
        'SELECT item_key AS k, count(*)::int AS n FROM escalation_item GROUP BY item_key',
      );
      expect(aidKeys.length + caseKeys.length).toBe(BREACHES);
      expect(items.filter((i) => i.n > 1)).toEqual([]);
      expect(new Set(items.map((i) => i.k))).toEqual(new Set([...aidKeys, ...caseKeys]));

      // ---- sweepers and relays on two replicas: one breach event per breach
      const [aidEvents] = await system.query<{ n: number; d: number }>(
        'student-aid',
        `SELECT count(*)::int AS n, count(DISTINCT envelope->'data'->>'entitlementId')::int AS d FROM outbox
       WHERE routing_key = 'aid.entitlement.overdue.v1'`,
      );
      const [caseEvents] = await system.query<{ n: number; d: number }>(
        'dropout-control',
        `SELECT count(*)::int AS n, count(DISTINCT envelope->'data'->>'caseId')::int AS d FROM outbox
       WHERE routing_key = 'dropout.case.opened.v1'`,
      );
      expect(aidEvents).toEqual({ n: aidKeys.length, d: aidKeys.length });
      expect(caseEvents).toEqual({ n: caseKeys.length, d: caseKeys.length });
      const [handled] = await system.query<{ n: number }>(
        'supervision',
        `SELECT count(*)::int AS n FROM inbox WHERE consumer = 'supervision.breach'`,
      );
      expect(handled.n).toBe(BREACHES);

      // ---- escalations: one per county and front, each rung taken once, one notice per rung and official
      const escalations = await system.query<{
        front: string;
        county: string;
        n: number;
        steps: number;
        taken: number;
      }>(
        'supervision',
        `SELECT e.front, e.county_code AS county, count(DISTINCT e.id)::int AS n,
              (SELECT count(*) FROM escalation_step s JOIN escalation x ON x.id = s.escalation_id
                WHERE x.front = e.front AND x.county_code = e.county_code)::int AS steps,
              (SELECT count(*) FROM escalation_step s JOIN escalation x ON x.id = s.escalation_id
                WHERE x.front = e.front AND x.county_code = e.county_code AND s.outcome = 'taken')::int AS taken
       FROM escalation e GROUP BY e.front, e.county_code`,
      );
      expect(escalations).toHaveLength(counties.length * FRONTS.length);
      expect(escalations.filter((e) => e.n !== 1 || e.steps !== 2 || e.taken !== 2)).toEqual([]);
      const [notices] = await system.query<{
        n: number;
        d: number;
        requested: number;
        requestedDistinct: number;
      }>(
        'supervision',
        `SELECT count(*)::int AS n, count(DISTINCT (escalation_id, step_index, official_id))::int AS d,
              (SELECT count(*) FROM outbox WHERE routing_key = 'notification.requested.v1')::int AS requested,
              (SELECT count(DISTINCT envelope->'data'->>'requestId') FROM outbox
                WHERE routing_key = 'notification.requested.v1')::int AS "requestedDistinct"
       FROM escalation_notice`,
      );
      expect(notices.n).toBe(escalations.length * 2);
      expect(notices.d).toBe(notices.n);
      expect(notices.requested).toBe(notices.n);
      expect(notices.requestedDistinct).toBe(notices.n);

      // ---- notifications: every request recorded once, every message sent, and how often it left
      const sent = await system.query<{
        id: string;
        channel: string;
        status: string;
        pid: string | null;
        parts: string[];
      }>(
        'notifications',
        `SELECT id, channel, status, provider_message_id AS pid, provider_part_ids AS parts FROM notification`,
      );
      const [requests] = await system.query<{ n: number }>(
        'notifications',
        'SELECT count(*)::int AS n FROM notification_request',
      );
      expect(requests.n).toBe(notices.n);
      expect(sent).toHaveLength(notices.n * 2);
      expect(sent.filter((n) => !['sent', 'delivered'].includes(n.status))).toEqual([]);

      const sendsOf = new Map<string, number>(sent.map((n) => [n.id, 0]));
      // Email: a resend carries the notification's own Message-ID.
      const byMessageId = new Map(sent.filter((n) => n.channel === 'email').map((n) => [n.pid ?? '', n.id]));
      const strayMail = smtp.messages.filter((m) => !byMessageId.has(m.messageId));
      for (const m of smtp.messages) {
        const id = byMessageId.get(m.messageId);
        if (id) sendsOf.set(id, sendsOf.get(id)! + 1);
      }
      // SMS: the message whose part ids the notification recorded; a resend (ids not recorded)
      // is matched to the recorded message with the same recipient and text.
      const byPart = new Map(sent.filter((n) => n.channel === 'sms').map((n) => [n.pid ?? '', n.id]));
      const recorded = smsc.messages.filter((m) => byPart.has(m.partIds[0]));
      const byContent = new Map(recorded.map((m) => [`${m.to}\n${m.text}`, byPart.get(m.partIds[0])!]));
      const straySms = smsc.messages.filter(
        (m) => !byPart.has(m.partIds[0]) && !byContent.has(`${m.to}\n${m.text}`),
      );
      for (const m of smsc.messages) {
        const id = byPart.get(m.partIds[0]) ?? byContent.get(`${m.to}\n${m.text}`);
        if (id) sendsOf.set(id, sendsOf.get(id)! + 1);
      }
      const counts = [...sendsOf.values()];
      const twice = counts.filter((c) => c === 2).length;
      expect(strayMail).toEqual([]);
      expect(straySms).toEqual([]);
      expect(counts.filter((c) => c === 0)).toEqual([]);
      expect(counts.filter((c) => c > 2)).toEqual([]);
      const [abandoned] = await system.query<{ n: number }>(
        'notifications',
        `SELECT count(*)::int AS n FROM notification_attempt WHERE outcome IS NULL OR outcome = 'abandoned'`,
      );
      // A message sent twice is one whose first send's attempt was cut short by the kill.
      expect(twice).toBeLessThanOrEqual(abandoned.n);

      // ---- the broker node is back and every queue has its three members online again
      const names = cluster.nodes.map((n) => n.name).sort();
      expect(await cluster.runningNodes()).toEqual(names);
      const queuesAtEnd = await cluster.queues(`${run}.`);
      expect(queuesAtEnd.map((q) => q.name)).toEqual(queuesAtStart.map((q) => q.name));
      for (const q of queuesAtEnd)
        expect({ name: q.name, online: q.online }).toEqual({ name: q.name, online: names });

      // ---- the clients failed over: every connection that was on the stopped node (each
      // process has a relay and a consumer connection) came back on another node
      const moved: string[] = [];
      const stuck: string[] = [];
      for (const r of system.replicas) {
        const ports = new Map<string, string[]>();
        for (const line of r.output.split('\n')) {
          if (!line.includes('"message":"connected to ')) continue;
          const { message, context } = JSON.parse(line) as { message: string; context: string };
          ports.set(context, [...(ports.get(context) ?? []), message.split(':').pop()!]);
        }
        for (const [context, [first, ...later]] of ports) {
          if (first !== String(stopped.amqpPort)) continue;
          const to = later.find((p) => p !== first);
          (to ? moved : stuck).push(`${r.service} #${r.index + 1} ${context}${to ? ` -> ${to}` : ''}`);
        }
      }
      expect(stuck).toEqual([]);
      expect(moved.length).toBeGreaterThan(0);
      // When the clients were told the node was going (the broker closes their connections).
      const disconnects = system.replicas.flatMap((r) =>
        r.output
          .split('\n')
          .filter((l) => l.includes('"message":"disconnected'))
          .map((l) => (JSON.parse(l) as { timestamp: number }).timestamp),
      );
      const firstDisconnect = disconnects.length ? (Math.min(...disconnects) - stopBegan) / 1000 : NaN;
      // Nothing a student could be recognised by in any log line.
      const output = system.output();
      for (const b of plan.slice(0, 200)) expect(output).not.toContain(b.idNumber);
      expect(output).not.toContain('王小明');

      const smsSent = sent.filter((n) => n.channel === 'sms').length;
      figures.push(
        [
          'breaches (aid entitlements overdue + dropout cases opened)',
          `${BREACHES} (${aidKeys.length} + ${caseKeys.length})`,
        ],
        ['breach events published / handled by supervision', `${aidEvents.n + caseEvents.n} / ${handled.n}`],
        [
          'escalations (counties x fronts) / steps taken',
          `${escalations.length} / ${escalations.reduce((n, e) => n + e.taken, 0)}`,
        ],
        ['notices requested (escalation_notice = notification.requested)', notices.n],
        [
          'notification requests recorded / messages (sms + email)',
          `${requests.n} / ${sent.length} (${smsSent} + ${sent.length - smsSent})`,
        ],
        ['messages received by the peers (sms + email)', `${smsc.messages.length} + ${smtp.messages.length}`],
        [
          'messages sent once / twice (crash window) / more',
          `${counts.filter((c) => c === 1).length} / ${twice} / 0`,
        ],
        ['attempts cut short by the kill (unfinished or abandoned)', abandoned.n],
        ['API calls retried on the other replica', retries],
        ['client connections moved off the stopped node', `${moved.length} (none left behind)`],
        ['first client disconnected after the node stop began', `${firstDisconnect.toFixed(1)} s`],
        [
          'stream submitted in (offered rate)',
          `${submitSeconds.toFixed(1)} s (${(submitted / submitSeconds).toFixed(0)} breaches/s)`,
        ],
        [
          'first breach to last notice settled',
          `${endToEnd.toFixed(1)} s (${(BREACHES / endToEnd).toFixed(0)} breaches/s end to end)`,
        ],
        [
          'quorum queues, members on every node before and after',
          `${queuesAtStart.length} x ${names.length}`,
        ],
        ['whole run (cluster up to checked)', at()],
      );
    },
    20 * 60_000,
  );
});
