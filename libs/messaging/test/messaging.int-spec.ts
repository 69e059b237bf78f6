import { randomUUID } from 'node:crypto';
import { createEnvelope } from '@edu/contracts';
import { deleteTopology, openProbe, testMessagingConfig, waitFor } from '@edu/testing';
import { topologyNames, ATTEMPT_HEADER, ERROR_HEADER } from '../src/index.js';
import { openedData, overdueData, startHarness, type Harness } from './messaging-fixture.js';

const SERVICE = 'consumer';

describe('messaging on the real broker and database', () => {
  const config = testMessagingConfig(SERVICE);
  const names = topologyNames(config.namespace, SERVICE);
  let h: Harness;
  let probe: Awaited<ReturnType<typeof openProbe>>;

  beforeAll(async () => {
    h = await startHarness(config);
    probe = await openProbe();
  });

  afterAll(async () => {
    await h.close();
    await probe.connection.close();
    await deleteTopology(config.namespace, [SERVICE]);
  });

  const effects = (subject?: string) =>
    h.db.dataSource.query<{ event_id: string; subject: string; seq: number }[]>(
      subject ? 'SELECT * FROM effects WHERE subject = $1 ORDER BY n' : 'SELECT * FROM effects ORDER BY n',
      subject ? [subject] : [],
    );

  it('publishes outbox rows once each, marks them published, keeps each subject in order', async () => {
    const subjects = Array.from({ length: 5 }, () => randomUUID());
    // Interleave subjects across several transactions, 20 events each.
    for (let batch = 0; batch < 4; batch++) {
      await h.db.dataSource.transaction(async (em) => {
        for (let i = 0; i < 5; i++) {
          for (const s of subjects) {
            await h.outbox.add(em, 'aid.entitlement.overdue.v1', overdueData(batch * 5 + i, s), {
              subject: s,
              county: '150821',
            });
          }
        }
      });
    }
    await waitFor(
      () => effects(),
      (rows) => rows.length >= 100,
      { what: '100 effects' },
    );
    const unpublished = await h.db.dataSource.query(
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    expect(unpublished[0].n).toBe(0);
    for (const s of subjects) {
      const seqs = (await effects(s)).map((r) => r.seq);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i));
    }
    const all = await effects();
    expect(new Set(all.map((r) => r.event_id)).size).toBe(100);
  });

  it('does not publish what a rolled-back transaction wrote', async () => {
    const subject = randomUUID();
    await expect(
      h.db.dataSource.transaction(async (em) => {
        await h.outbox.add(em, 'aid.entitlement.overdue.v1', overdueData(1, subject), {
          subject,
          county: '150821',
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const rows = await h.db.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [
      subject,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('has its effect once when the same message is delivered twice', async () => {
    const subject = randomUUID();
    const env = createEnvelope('aid.entitlement.overdue.v1', overdueData(7, subject), {
      producer: 'test',
      subject,
      county: '150821',
    });
    const body = Buffer.from(JSON.stringify(env));
    for (let i = 0; i < 2; i++) {
      probe.channel.publish(names.events, 'aid.entitlement.overdue.v1', body, {
        messageId: env.id,
        persistent: true,
      });
    }
    // A later event on another subject proves both copies were consumed before we count.
    const marker = randomUUID();
    probe.channel.publish(
      names.events,
      'aid.entitlement.overdue.v1',
      Buffer.from(
        JSON.stringify(
          createEnvelope('aid.entitlement.overdue.v1', overdueData(1, marker), {
            producer: 't',
            subject: marker,
            county: '150821',
          }),
        ),
      ),
      { persistent: true },
    );
    await waitFor(
      () => effects(marker),
      (r) => r.length === 1,
      { what: 'marker' },
    );
    await waitFor(
      () => h.db.dataSource.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = $1', [env.id]),
      (r) => r[0].n === 1,
    );
    expect(await effects(subject)).toHaveLength(1);
  });

  it('retries a failing handler, then dead-letters it, without stalling other events', async () => {
    const poison = createEnvelope('dropout.case.opened.v1', openedData('poison'), {
      producer: 'test',
      subject: randomUUID(),
      county: '150821',
    });
    probe.channel.publish(names.events, 'dropout.case.opened.v1', Buffer.from(JSON.stringify(poison)), {
      messageId: poison.id,
      persistent: true,
    });
    // Meanwhile ordinary events keep flowing.
    const subject = randomUUID();
    await h.db.dataSource.transaction(async (em) => {
      for (let i = 0; i < 10; i++) {
        await h.outbox.add(em, 'aid.entitlement.overdue.v1', overdueData(i, subject), {
          subject,
          county: '150821',
        });
      }
    });
    await waitFor(
      () => effects(subject),
      (r) => r.length === 10,
      { what: 'ordinary events' },
    );

    const dead = await waitFor(
      async () => probe.channel.get(names.dlq, { noAck: true }),
      (m) => m !== false,
      { what: 'poison message in the DLQ' },
    );
    if (dead === false) throw new Error('unreachable');
    expect(dead.properties.messageId).toBe(poison.id);
    expect(dead.properties.headers?.[ATTEMPT_HEADER]).toBe(config.maxAttempts);
    expect(String(dead.properties.headers?.[ERROR_HEADER])).toContain('always fails');
  });

  it('dead-letters an invalid event and a permanent failure at once', async () => {
    const bad = {
      ...createEnvelope('dropout.case.opened.v1', openedData(), {
        producer: 't',
        subject: 's',
        county: '150821',
      }),
    };
    (bad.data as { countyCode: string }).countyCode = 'Linhe';
    probe.channel.publish(names.events, 'dropout.case.opened.v1', Buffer.from(JSON.stringify(bad)), {
      persistent: true,
    });
    const permanent = createEnvelope('dropout.case.opened.v1', openedData('permanent'), {
      producer: 't',
      subject: 's2',
      county: '150821',
    });
    probe.channel.publish(names.events, 'dropout.case.opened.v1', Buffer.from(JSON.stringify(permanent)), {
      persistent: true,
      messageId: permanent.id,
    });
    const got: string[] = [];
    await waitFor(
      async () => {
        const m = await probe.channel.get(names.dlq, { noAck: true });
        if (m)
          got.push(
            `${String(m.properties.headers?.[ATTEMPT_HEADER])}:${String(m.properties.headers?.[ERROR_HEADER])}`,
          );
        return got.length;
      },
      (n) => n === 2,
      { what: 'two dead letters' },
    );
    expect(got.some((g) => g.startsWith('1:invalid event') && g.includes('countyCode'))).toBe(true);
    expect(got.some((g) => g === '1:rule broken')).toBe(true);
  });

  it('keeps an event nobody is bound to in the unrouted queue', async () => {
    await probe.channel.purgeQueue(names.unrouted);
    const subject = randomUUID();
    await h.db.dataSource.transaction((em) =>
      h.outbox.add(
        em,
        'construction.capacity.shortfall.v1',
        { siteCode: 'SITE-1', countyCode: '150823', stage: 'primary', demand: 120, seats: 80, shortfall: 40 },
        { subject, county: '150823' },
      ),
    );
    const msg = await waitFor(
      () => probe.channel.get(names.unrouted, { noAck: true }),
      (m) => m !== false,
      { what: 'unrouted event' },
    );
    if (msg === false) throw new Error('unreachable');
    expect(msg.fields.routingKey).toBe('construction.capacity.shortfall.v1');
    expect(JSON.parse(msg.content.toString()).subject).toBe(subject);
    const rows = await h.db.dataSource.query('SELECT published_at FROM outbox WHERE subject = $1', [subject]);
    expect(rows[0].published_at).not.toBeNull();
  });
});

describe('the relay woken by commits in its own process', () => {
  // Polls so rarely that only the wake-up can explain a prompt publish.
  const config = { ...testMessagingConfig('woken'), relayPollMs: 600_000, relayBusyPollMs: 20 };
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(config);
  });

  afterAll(async () => {
    await h.close();
    await deleteTopology(config.namespace, ['woken']);
  });

  const effects = (subject: string) =>
    h.db.dataSource.query<{ seq: number }[]>('SELECT seq FROM effects WHERE subject = $1 ORDER BY n', [
      subject,
    ]);

  it('publishes at commit instead of at the next poll, and not what rolled back', async () => {
    const subject = randomUUID();
    await expect(
      h.db.dataSource.transaction(async (em) => {
        await h.outbox.add(em, 'aid.entitlement.overdue.v1', overdueData(9, subject), {
          subject,
          county: '150821',
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    for (const seq of [0, 1]) {
      // Each commit wakes the relay again; a nested transaction's savepoint does not count as the commit.
      await h.db.dataSource.transaction(async (em) => {
        await em.transaction(async (inner) =>
          h.outbox.add(inner, 'aid.entitlement.overdue.v1', overdueData(seq, subject), {
            subject,
            county: '150821',
          }),
        );
      });
      await waitFor(
        () => effects(subject),
        (rows) => rows.length === seq + 1,
        { what: `effect ${seq} well before the next poll` },
      );
    }
    expect((await effects(subject)).map((r) => r.seq)).toEqual([0, 1]);
  });
});
