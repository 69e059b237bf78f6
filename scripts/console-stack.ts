import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { deleteTopology } from '@edu/testing';
import { SERVICES, entryOf, type ServiceName } from './services.js';

/**
 * The whole system for the console's browser tests and screenshots: the five built services
 * (each with its own fresh database, one queue namespace) and the console in front of them,
 * on free ports of 127.0.0.1. Everything it made is dropped by stop().
 */

const PG_SERVER = process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
export const CONSOLE_ENTRY = 'dist/apps/console/src/main.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ConsoleStack {
  namespace: string;
  /** The console: the only address the browser uses. */
  consoleUrl: string;
  /** The services themselves, for setting up data the way their clients would. */
  urls: Record<ServiceName, string>;
  output(): string;
  stop(): Promise<void>;
}

async function waitReady(url: string, output: () => string, exited: () => boolean): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (exited()) throw new Error(`a process stopped before ${url} was ready:\n${output().slice(-4000)}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} never became ready:\n${output().slice(-4000)}`);
}

export async function startConsoleStack(env: Record<string, string> = {}): Promise<ConsoleStack> {
  const namespace = `console_${randomBytes(3).toString('hex')}`;
  const children: ChildProcess[] = [];
  const urls = {} as Record<ServiceName, string>;
  let output = '';
  const run = (name: string, entry: string, vars: Record<string, string>) => {
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...vars },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => (output = (output + `[${name}] ${d.toString()}`).slice(-200_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.push(child);
  };
  const consoleEnv: Record<string, string> = {};
  for (const { name } of SERVICES) {
    const port = await freePort();
    urls[name] = `http://127.0.0.1:${port}`;
    consoleEnv[`${name.toUpperCase().replace(/-/g, '_')}_URL`] = urls[name];
    run(name, entryOf(name), {
      PORT: String(port),
      DB_NAME: `${namespace}_${name.replace(/-/g, '_')}`,
      PG_SERVER,
      AMQP_NAMESPACE: namespace,
      SWEEP_INTERVAL_MS: '0',
      OUTBOX_POLL_MS: '200',
      EVENT_RETRY_DELAY_MS: '500',
      DISPATCH_INTERVAL_MS: '300',
      ...env,
    });
  }
  const consolePort = await freePort();
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  run('console', CONSOLE_ENTRY, { ...consoleEnv, PORT: String(consolePort) });

  const exited = () => children.some((c) => c.exitCode !== null || c.signalCode !== null);
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 8000).unref();
          }),
      ),
    );
    await dropDatabases(namespace);
    await deleteTopology(
      namespace,
      SERVICES.map((s) => s.name),
    );
  };
  try {
    await Promise.all([
      ...Object.values(urls).map((u) => waitReady(`${u}/health/ready`, () => output, exited)),
      waitReady(`${consoleUrl}/health/live`, () => output, exited),
    ]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { namespace, consoleUrl, urls, output: () => output, stop };
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
