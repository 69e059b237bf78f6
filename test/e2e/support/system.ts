import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { deleteTopology } from '@edu/testing';
import { SERVICES, entryOf, type ServiceName } from '../../../scripts/services.js';

export const PG_SERVER = process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

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

export interface RunningSystem {
  namespace: string;
  urls: Record<ServiceName, string>;
  /** Everything the services printed, for the privacy checks. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the five built services as processes, each with its own database and a shared test namespace. */
export async function startSystem(env: Record<string, string>): Promise<RunningSystem> {
  const run = `e2e_${randomBytes(3).toString('hex')}`;
  const children: ChildProcess[] = [];
  const urls = {} as Record<ServiceName, string>;
  let output = '';
  for (const { name } of SERVICES) {
    const port = await freePort();
    urls[name] = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [entryOf(name)], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        DB_NAME: `${run}_${name.replace(/-/g, '_')}`,
        PG_SERVER,
        AMQP_NAMESPACE: run,
        LOG_LEVEL: 'log',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    children.push(child);
  }
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 8000).unref();
          }),
      ),
    );
    await dropDatabases(run);
    await deleteTopology(
      run,
      SERVICES.map((s) => s.name),
    );
  };
  try {
    await Promise.all(Object.values(urls).map((u) => waitReady(u, () => output)));
  } catch (e) {
    await stop();
    throw e;
  }
  return { namespace: run, urls, output: () => output, stop };
}

async function waitReady(base: string, output: () => string): Promise<void> {
  const until = Date.now() + 90000;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${base}/health/ready`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${base} never became ready:\n${output().slice(-4000)}`);
}

async function dropDatabases(prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}_%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
