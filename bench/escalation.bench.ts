import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import amqplib, { type ConsumeMessage } from 'amqplib';
import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import { createEnvelope, type EventEnvelope, type EventKey, type EventMap } from '@edu/contracts';
import { topologyNames } from '@edu/messaging';
import {
  createTestDatabase,
  deleteTopology,
  openProbe,
  publishEnvelope,
  startTestService,
  testMessagingConfig,
  TEST_AMQP_URL,
} from '@edu/testing';
import { AppModule } from '../apps/supervision/src/app.module.js';
import { LadderSweepHandler } from '../apps/supervision/src/escalation/application/ladder-sweep.handler.js';
import { migrations } from '../apps/supervision/src/migrations/index.js';
import { SweepOverdueProblemsHandler } from '../apps/supervision/src/rectification/application/sweep-overdue-problems.handler.js';
import { readSupervisionConfig } from '../apps/supervision/src/supervision.config.js';

/*
 * npm run bench -- escalation [--seconds 300] [--rate 100] [--cycle 10] [--items 1000000] [--problems 1000000]
 *
 * In one run against this machine's Postgres and RabbitMQ, the supervision service in
 * this process (its own schema and broker namespace):
 *  1. `--rate` breaches a second for `--seconds` across 7 counties and 3 fronts (21
 *     escalations), each group's items settled every `--cycle` seconds so escalations
 *     resolve and re-open (as recurrences): notices requested against breaches and steps
 *     taken (one digest per escalation step and official, never one per breach), latency
 *     from the breach event's publication to each notification.requested reaching a queue
 *     (p50/p99), beside the broker's own round trip measured the same way (the baseline);
 *  2. with `--items` open escalation items: the ladder sweep when nothing is due and when
 *     every escalation's last step (the accountability recommendation, with its documents
 *     and a digest over all items) is due, beside a full scan of the items (baseline);
 *  3. with `--problems` open rectification problems, 1% of them just overdue: the overdue
 *     sweep that escalates them, and the next (idle) sweep.
 */

const COUNTIES = ['150802', '150821', '150822', '150823', '150824', '150825', '150826'];
const FRONTS = ['aid', 'dropout', 'construction'] as const;
type Front = (typeof FRONTS)[number];
const STUDENT = 'b'.repeat(64);

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const timed = async <T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const t = performance.now();
  const value = await work();
  return { ms: performance.now() - t, value };
};

function breach(front: Front, county: string, id: string): { key: EventKey; data: EventMap[EventKey] } {
  switch (front) {
    case 'aid':
      return {
        key: 'aid.entitlement.overdue.v1',
        data: {
          entitlementId: id,
          studentKey: STUDENT,
          countyCode: county,
          schoolCode: 'S1',
          policyCode: 'COMPULSORY_BOARDER_LIVING',
          term: '2020-autumn',
          amountDue: '625.00',
          amountPaid: '0',
          dueDate: '2020-10-31',
        },
      };
    case 'dropout':
      return {
        key: 'dropout.case.opened.v1',
        data: {
          caseId: id,
          studentKey: STUDENT,
          countyCode: county,
          schoolCode: 'S1',
          openedAt: new Date().toISOString(),
          verifyBy: '2020-11-30',
        },
      };
    case 'construction':
      return {
        key: 'construction.milestone.overdue.v1',
        data: {
          projectId: id,
          milestoneId: id,
          milestone: 'acceptance',
          countyCode: county,
          plannedDate: '2020-09-30',
        },
      };
  }
}

function settlement(front: Front, county: string, id: string): { key: EventKey; data: EventMap[EventKey] } {
  const now = new Date().toISOString();
  switch (front) {
    case 'aid':
      return {
        key: 'aid.entitlement.settled.v1',
        data: {
          entitlementId: id,
          studentKey: STUDENT,
          countyCode: county,
          policyCode: 'COMPULSORY_BOARDER_LIVING',
          term: '2020-autumn',
          amountPaid: '625.00',
          settledAt: now,
        },
      };
    case 'dropout':
      return {
        key: 'dropout.case.resolved.v1',
        data: {
          caseId: id,
          studentKey: STUDENT,
          countyCode: county,
          resolution: 'returned',
          resolvedAt: now,
        },
      };
    case 'construction':
      return {
        key: 'construction.milestone.completed.v1',
        data: {
          projectId: id,
          milestoneId: id,
          milestone: 'acceptance',
          countyCode: county,
          completedOn: now.slice(0, 10),
        },
      };
  }
}

export default async function escalationBench(args: string[]): Promise<void> {
  const seconds = arg(args, '--seconds', 300);
  const rate = arg(args, '--rate', 100);
  const cycle = arg(args, '--cycle', 10);
  const items = arg(args, '--items', 1_000_000);
  const problems = arg(args, '--problems', 1_000_000);
  const out = (s: string) => process.stdout.write(`${s}\n`);

  const db = await createTestDatabase('bench_escalation', [], migrations);
  const messaging = { ...testMessagingConfig('supervision'), maxAttempts: 5 };
  const config = {
    ...readSupervisionConfig({}),
    logLevel: 'warn' as const,
    migrateOnBoot: false,
    sweepIntervalMs: 0,
    database: { url: db.url, schema: db.schema, poolSize: 10 },
    messaging,
  };
  const svc = await startTestService(AppModule.register(config), config);
  const probe = await openProbe();
  const rows: [string, string][] = [];
  try {
    const admin = await signToken({ sub: 'bench', role: 'city_admin' }, DEV_AUTH_DEFAULTS);
    const officials = [
      'official_id,name,title,county_code,front,role,phone,email',
      ...COUNTIES.flatMap((c) => [
        `${c}-R,责任人${c},股长,${c},all,responsible,139${c.slice(1)}1,r${c}@example.cn`,
        `${c}-H,局长${c},局长,${c},all,bureau_head,139${c.slice(1)}2,h${c}@example.cn`,
        `${c}-P,部长${c},组织部副部长,${c},all,party_committee,,p${c}@example.cn`,
      ]),
    ].join('\n');
    await fetch(`${svc.url}/api/officials/import`, {
      method: 'POST',
      body: officials,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
    });

    // ---- 1. the stream
    const { events } = topologyNames(messaging.namespace);
    const watch = await amqplib.connect(TEST_AMQP_URL);
    const wch = await watch.createChannel();
    const { queue } = await wch.assertQueue('', { exclusive: true, autoDelete: true });
    await wch.bindQueue(queue, events, 'notification.requested.v1');
    await wch.bindQueue(queue, events, 'bench.echo.v1');
    const published = new Map<string, number>();
    const publishedWall = new Map<string, number>();
    const noticeLatency: number[] = [];
    const echoLatency: number[] = [];
    let notices = 0;
    await wch.consume(
      queue,
      (m: ConsumeMessage | null) => {
        if (!m) return;
        const arrived = performance.now();
        if (m.fields.routingKey === 'bench.echo.v1') {
          echoLatency.push(arrived - Number(m.content.toString()));
          return;
        }
        notices++;
        const env = JSON.parse(m.content.toString()) as EventEnvelope;
        const sent = published.get(env.correlationId);
        if (sent !== undefined) noticeLatency.push(arrived - sent);
      },
      { noAck: true },
    );

    const open = new Map<string, string[]>(); // group → open item ids
    const groups = COUNTIES.flatMap((c) => FRONTS.map((f) => ({ county: c, front: f, key: `${c}/${f}` })));
    groups.forEach((g) => open.set(g.key, []));
    const send = (e: { key: EventKey; data: EventMap[EventKey] }, subject: string, county: string) => {
      const env = createEnvelope(e.key, e.data, { producer: 'bench', subject, county });
      published.set(env.id, performance.now());
      publishedWall.set(env.id, Date.now());
      publishEnvelope(probe.channel, messaging.namespace, env);
    };
    out(
      `escalation benchmark: ${rate} breaches/s for ${seconds} s across ${COUNTIES.length} counties and ${FRONTS.length} fronts`,
    );
    const tickMs = 100;
    const perTick = rate / (1000 / tickMs);
    const ticks = Math.round((seconds * 1000) / tickMs);
    const cycleTicks = Math.max(1, Math.round((cycle * 1000) / tickMs));
    let breaches = 0;
    let settlements = 0;
    let owed = 0;
    const started = performance.now();
    for (let t = 0; t < ticks; t++) {
      owed += perTick;
      for (; owed >= 1; owed--) {
        const g = groups[breaches % groups.length];
        const id = randomUUID();
        send(breach(g.front, g.county, id), id, g.county);
        open.get(g.key)!.push(id);
        breaches++;
      }
      // Each group settles everything open once a cycle, the groups staggered over it.
      const due = groups.filter(
        (_, i) => (t + Math.round((i * cycleTicks) / groups.length)) % cycleTicks === 0,
      );
      for (const g of due) {
        for (const id of open.get(g.key)!) {
          send(settlement(g.front, g.county, id), id, g.county);
          settlements++;
        }
        open.set(g.key, []);
      }
      if (t % 10 === 0)
        probe.channel.publish(events, 'bench.echo.v1', Buffer.from(String(performance.now())));
      const next = started + (t + 1) * tickMs;
      await sleep(Math.max(0, next - performance.now()));
    }
    const sentIn = (performance.now() - started) / 1000;
    out(`  published ${breaches} breaches and ${settlements} settlements in ${sentIn.toFixed(1)} s`);
    const handled = async () =>
      Number(
        (
          await db.dataSource.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM inbox WHERE consumer IN ('supervision.breach', 'supervision.settlement')`,
          )
        )[0].n,
      );
    const drainStart = performance.now();
    while ((await handled()) < breaches + settlements && performance.now() - drainStart < 600_000)
      await sleep(200);
    const drain = (performance.now() - drainStart) / 1000;
    const relayed = async () =>
      Number(
        (
          await db.dataSource.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM outbox WHERE routing_key = 'notification.requested.v1'`,
          )
        )[0].n,
      );
    const requested = await relayed();
    while (notices < requested && performance.now() - drainStart < 600_000) await sleep(200);
    const [steps] = await db.dataSource.query<{ taken: string; escalations: string; expected: string }[]>(
      `SELECT count(*) FILTER (WHERE s.outcome = 'taken') AS taken,
              (SELECT count(*) FROM escalation) AS escalations,
              (SELECT count(*) FROM escalation_notice) AS expected
       FROM escalation_step s`,
    );
    const [perStep] = await db.dataSource.query<{ max: string }[]>(
      `SELECT COALESCE(max(n), 0) AS max FROM (SELECT count(*) AS n FROM escalation_notice
         GROUP BY escalation_id, step_index, official_id) x`,
    );
    const [held] = await db.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM inbox');
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    const outcomes = new Map<string, number>();
    for (const m of metrics.matchAll(/^events_handled_total\{[^}]*outcome="([^"]+)"\} (\d+)/gm))
      outcomes.set(m[1], (outcomes.get(m[1]) ?? 0) + Number(m[2]));
    const batch = (name: string) =>
      Number(new RegExp(`^inbox_batch_size_${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN);
    const stages = await db.dataSource.query<{ c: string; created: Date; published: Date | null }[]>(
      `SELECT envelope->>'correlationId' AS c, created_at AS created, published_at AS published FROM outbox
       WHERE routing_key = 'notification.requested.v1'`,
    );
    const toCommit = stages
      .map((r) => r.created.getTime() - (publishedWall.get(r.c) ?? NaN))
      .filter((x) => !Number.isNaN(x));
    const toRelay = stages
      .filter((r) => r.published)
      .map((r) => r.published!.getTime() - r.created.getTime());
    rows.push(
      ['breaches published (rate achieved)', `${breaches} (${(breaches / sentIn).toFixed(1)}/s)`],
      ['settlements published', String(settlements)],
      ['events handled (inbox rows)', `${held.n}, drained ${drain.toFixed(1)} s after the last publish`],
      ['handler outcomes', [...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')],
      ['inbox batch size (mean)', (batch('sum') / batch('count')).toFixed(1)],
      ['escalations opened', steps.escalations],
      ['escalation steps taken', steps.taken],
      ['notification.requested (outbox / received)', `${requested} / ${notices}`],
      ['notices per breach', (requested / breaches).toFixed(4)],
      ['notices per official and step (max; 1 = one digest per step)', perStep.max],
      ['notices = notice records (steps x officials)', String(Number(steps.expected) === requested)],
      [
        'breach → notification.requested p50 / p99 (n)',
        `${ms(pct(noticeLatency, 50))} / ${ms(pct(noticeLatency, 99))} (${noticeLatency.length})`,
      ],
      [
        '  of which breach → handler transaction start p50 / p99',
        `${ms(pct(toCommit, 50))} / ${ms(pct(toCommit, 99))}`,
      ],
      [
        '  of which transaction start → relayed p50 / p99',
        `${ms(pct(toRelay, 50))} / ${ms(pct(toRelay, 99))}`,
      ],
      [
        'baseline: broker round trip p50 / p99 (n)',
        `${ms(pct(echoLatency, 50))} / ${ms(pct(echoLatency, 99))} (${echoLatency.length})`,
      ],
    );
    await watch.close();

    // ---- 2. the ladder sweep over a million open items
    const sweep = svc.app.get(LadderSweepHandler);
    await db.dataSource.query(
      `TRUNCATE escalation_step, escalation_notice, escalation_ack, escalation_item, accountability_recommendation,
                interview, escalation, item_settlement, outbox CASCADE`,
    );
    const [policy] = await db.dataSource.query<{ steps: unknown }[]>(
      `SELECT steps FROM escalation_policy WHERE breach_type = 'aid' AND version = 1`,
    );
    await db.dataSource.query(
      `INSERT INTO escalation (id, breach_type, front, county_code, status, level, policy, steps_done, last_step_at,
         next_step_at, reported_through, opened_at)
       SELECT gen_random_uuid(), f, f, c, 'open', 'interview',
              jsonb_build_object('breachType', f, 'version', 1, 'recurrenceWindowDays', 90, 'steps', $1::jsonb),
              2, now() - interval '20 days', now() + interval '10 days', 2, now() - interval '20 days'
       FROM unnest($2::text[]) c, unnest($3::text[]) f`,
      [JSON.stringify(policy.steps), COUNTIES, FRONTS],
    );
    const fill = await timed(() =>
      db.dataSource.query(
        `WITH e AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM escalation)
         INSERT INTO escalation_item (escalation_id, item_key, kind, amount_fen, joined_step, overdue, reported_at)
         SELECT e.id, 'bench:' || g, 'unpaid_subsidy', 62500, 2, true, now() - interval '15 days'
         FROM generate_series(1, $1::int) g JOIN e ON e.n = g % 21`,
        [items],
      ),
    );
    await db.dataSource.query('ANALYZE escalation_item');
    await db.dataSource.query('ANALYZE escalation');
    out(`  ${items} open items loaded in ${(fill.ms / 1000).toFixed(1)} s`);
    const scan = await timed(() =>
      db.dataSource.query(`SELECT count(*), sum(amount_fen) FROM escalation_item WHERE settled_at IS NULL`),
    );
    const idle = await timed(() => sweep.execute());
    await db.dataSource.query(`UPDATE escalation SET next_step_at = now() - interval '1 second'`);
    const due = await timed(() => sweep.execute());
    const again = await timed(() => sweep.execute());
    const map = await timed(async () =>
      (await fetch(`${svc.url}/api/battle-map`, { headers: { authorization: `Bearer ${admin}` } })).json(),
    );
    const history = await timed(async () =>
      (
        await fetch(`${svc.url}/api/battle-map/history`, { headers: { authorization: `Bearer ${admin}` } })
      ).json(),
    );
    rows.push(
      [`baseline: full scan of ${items} open items`, ms(scan.ms)],
      ['ladder sweep, nothing due', `${ms(idle.ms)} (${(idle.ms / scan.ms).toFixed(3)} x baseline)`],
      [
        `ladder sweep, last step due on 21 escalations (${due.value.notices} notices, recommendations + PDFs)`,
        `${ms(due.ms)} (${(due.ms / scan.ms).toFixed(2)} x baseline)`,
      ],
      ['ladder sweep again (idempotent: nothing left)', `${ms(again.ms)}, ${again.value.notices} notices`],
      [`GET /api/battle-map over ${items} items`, ms(map.ms)],
      ['GET /api/battle-map/history (12 weeks)', ms(history.ms)],
    );

    // ---- 3. the overdue sweep over a million open rectification problems
    const overdueShare = 100;
    const load = await timed(() =>
      db.dataSource.query(
        `INSERT INTO rectification_problem (id, ref, source, description, county_code, front, measures, found_on,
           deadline, lead_department, responsible_leader, status, created_by, created_at, updated_at)
         SELECT gen_random_uuid(), 'B-' || g, 'inspection', '台账问题', ($2::text[])[1 + g % 7], 'aid', '整改',
                current_date - 60, CASE WHEN g % $3::int = 0 THEN current_date - 1 ELSE current_date + 365 END,
                '资助中心', '责任领导', 'open', 'bench', now(), now()
         FROM generate_series(1, $1::int) g`,
        [problems, COUNTIES, overdueShare],
      ),
    );
    await db.dataSource.query('ANALYZE rectification_problem');
    out(`  ${problems} open problems loaded in ${(load.ms / 1000).toFixed(1)} s`);
    const rscan = await timed(() =>
      db.dataSource.query(
        `SELECT count(*) FROM rectification_problem WHERE status <> 'closed' AND deadline < current_date`,
      ),
    );
    const overdue = await timed(() => svc.app.get(SweepOverdueProblemsHandler).execute());
    const quiet = await timed(() => svc.app.get(SweepOverdueProblemsHandler).execute());
    rows.push(
      [`baseline: full scan of ${problems} open problems`, ms(rscan.ms)],
      [
        `overdue sweep: ${overdue.value.overdue} problems escalated (${overdue.value.notices} notices)`,
        `${ms(overdue.ms)} (${((overdue.value.overdue / overdue.ms) * 1000).toFixed(0)} problems/s)`,
      ],
      [
        'overdue sweep again (nothing new)',
        `${ms(quiet.ms)} (${(quiet.ms / rscan.ms).toFixed(3)} x baseline)`,
      ],
    );
  } finally {
    const width = Math.max(...rows.map(([k]) => k.length));
    out('');
    for (const [k, v] of rows) out(`  ${k.padEnd(width)}  ${v}`);
    await svc.close();
    await probe.connection.close();
    await db.drop();
    await deleteTopology(messaging.namespace, ['supervision']);
  }
}
