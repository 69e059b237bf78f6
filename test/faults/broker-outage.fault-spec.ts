import { randomUUID } from 'node:crypto';
import { deleteTopology, rabbitmqctl, testMessagingConfig, waitFor } from '@edu/testing';
import { overdueData, startHarness, type Harness } from '../../libs/messaging/test/messaging-fixture.js';

/*
 * Fault test: stops the local broker application, so it runs alone (`--runInBand`, after
 * every other suite). Events written while RabbitMQ is down stay in the outbox and are
 * delivered, each once, when it returns.
 */
describe('an event published while RabbitMQ is stopped', () => {
  const config = testMessagingConfig('consumer');
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(config);
  });

  afterAll(async () => {
    // Whatever happened, leave the broker running for the next suite.
    await rabbitmqctl('start_app').catch(() => undefined);
    await rabbitmqctl('await_startup').catch(() => undefined);
    await h.close();
    await deleteTopology(config.namespace, ['consumer']);
  });

  const count = async (sql: string, params: unknown[] = []) =>
    (await h.db.dataSource.query<{ n: number }[]>(sql, params))[0].n;

  it('waits in the outbox and is delivered once after the broker returns', async () => {
    const subject = randomUUID();
    await rabbitmqctl('stop_app');
    await h.db.dataSource.transaction(async (em) => {
      for (let i = 0; i < 20; i++) {
        await h.outbox.add(em, 'aid.entitlement.overdue.v1', overdueData(i, subject), {
          subject,
          county: '150821',
        });
      }
    });
    // The relay keeps trying and failing; nothing is marked published.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await count('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).toBe(20);

    await rabbitmqctl('start_app');
    await rabbitmqctl('await_startup');
    await waitFor(
      () => count('SELECT count(*)::int AS n FROM effects WHERE subject = $1', [subject]),
      (n) => n >= 20,
      { timeoutMs: 90000, what: '20 effects after the broker returned' },
    );
    expect(await count('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).toBe(0);
    const rows = await h.db.dataSource.query<{ seq: number }[]>(
      'SELECT seq FROM effects WHERE subject = $1 ORDER BY n',
      [subject],
    );
    const seqs = rows.map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
