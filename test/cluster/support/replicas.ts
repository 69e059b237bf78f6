import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import pg from 'pg';
import { SERVICES, entryOf, type ServiceName } from '../../../scripts/services.js';

export const PG_SERVER = process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

export interface Replica {
  service: ServiceName;
  index: number;
  url: string;
  child: ChildProcess;
  output: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Replicas of the five built services as processes (`dist/`): the replicas of a service
 * share its database (`<run>_<service>`) and, through the broker namespace `<run>`, its
 * queues. Each replica migrates at boot (under the advisory lock), relays its outbox,
 * consumes and sweeps, as in production.
 */
export class ServiceReplicas {
  readonly replicas: Replica[] = [];
  private readonly pools = new Map<ServiceName, pg.Pool>();

  constructor(
    readonly run: string,
    private readonly env: Record<string, string>,
    private readonly perService: Partial<Record<ServiceName, Record<string, string>>> = {},
  ) {}

  databaseOf(service: ServiceName): string {
    return `${this.run}_${service.replace(/-/g, '_')}`;
  }

  async start(count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      for (const { name } of SERVICES) {
        const port = await freePort();
        const child = spawn(process.execPath, [entryOf(name)], {
          env: {
            ...process.env,
            NODE_ENV: 'test',
            HOST: '127.0.0.1',
            PORT: String(port),
            DB_NAME: this.databaseOf(name),
            PG_SERVER,
            DB_POOL_SIZE: '5',
            AMQP_NAMESPACE: this.run,
            LOG_LEVEL: 'log',
            ...this.env,
            ...this.perService[name],
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const replica: Replica = { service: name, index, url: `http://127.0.0.1:${port}`, child, output: '' };
        child.stdout?.on('data', (d: Buffer) => (replica.output += d.toString()));
        child.stderr?.on('data', (d: Buffer) => (replica.output += d.toString()));
        this.replicas.push(replica);
      }
    }
    await Promise.all(this.replicas.map((r) => waitReady(r)));
  }

  of(service: ServiceName): Replica[] {
    return this.replicas.filter((r) => r.service === service);
  }

  alive(service: ServiceName): Replica[] {
    return this.of(service).filter((r) => r.child.exitCode === null && r.child.signalCode === null);
  }

  /** SIGKILL: no shutdown hooks, no acks, no lease released. */
  async kill(replica: Replica): Promise<void> {
    if (replica.child.exitCode !== null || replica.child.signalCode !== null) return;
    const exited = new Promise((r) => replica.child.once('exit', r));
    replica.child.kill('SIGKILL');
    await exited;
  }

  db(service: ServiceName): pg.Pool {
    let pool = this.pools.get(service);
    if (!pool) {
      pool = new pg.Pool({ connectionString: `${PG_SERVER}/${this.databaseOf(service)}`, max: 2 });
      this.pools.set(service, pool);
    }
    return pool;
  }

  async query<T extends pg.QueryResultRow>(
    service: ServiceName,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    return (await this.db(service).query<T>(sql, params)).rows;
  }

  output(): string {
    return this.replicas.map((r) => r.output).join('\n');
  }

  /** Stops every replica (SIGTERM, then SIGKILL after 8 s) and drops the run's databases. */
  async stop(): Promise<void> {
    await Promise.all(
      this.replicas.map(
        (r) =>
          new Promise<void>((resolve) => {
            if (r.child.exitCode !== null || r.child.signalCode !== null) return resolve();
            r.child.once('exit', () => resolve());
            r.child.kill('SIGTERM');
            setTimeout(() => r.child.kill('SIGKILL'), 8000).unref();
          }),
      ),
    );
    await Promise.all([...this.pools.values()].map((p) => p.end()));
    this.pools.clear();
    const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${this.run}\\_%`],
      );
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

async function waitReady(replica: Replica): Promise<void> {
  const until = Date.now() + 180000;
  while (Date.now() < until) {
    if (replica.child.exitCode !== null) break;
    try {
      const r = await fetch(`${replica.url}/health/ready`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `${replica.service} #${replica.index + 1} never became ready:\n${replica.output.slice(-4000)}`,
  );
}
