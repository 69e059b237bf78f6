import { spawn, type ChildProcess } from 'node:child_process';
import { SERVICES, entryOf } from './services.js';

/**
 * `npm start`: runs the five services as separate processes on this machine's Postgres and
 * RabbitMQ, and the operations console in front of them, each line prefixed with its name.
 * Ctrl-C stops them all; if one dies, all stop.
 */
const children = new Map<string, ChildProcess>();
let stopping = false;

function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 10000).unref();
  const wait = [...children.values()].map(
    (c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))),
  );
  void Promise.all(wait).then(() => process.exit(code));
}

function prefix(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WritableStream) {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

/** The console reaches each service where this script starts it. */
const CONSOLE_PORT = Number(process.env.PORT_CONSOLE || 3006);
const consoleEnv: Record<string, string> = {};
for (const { name, port } of SERVICES) {
  const at = portOverride(name).PORT ?? String(port);
  consoleEnv[`${name.toUpperCase().replace(/-/g, '_')}_URL`] = `http://127.0.0.1:${at}`;
}
const PROCESSES = [
  ...SERVICES.map(({ name, port }) => ({
    name,
    entry: entryOf(name),
    env: { PORT: String(port), ...process.env, ...portOverride(name) },
  })),
  {
    name: 'console',
    entry: 'dist/apps/console/src/main.js',
    env: { ...consoleEnv, ...process.env, PORT: String(CONSOLE_PORT) },
  },
];

for (const { name, entry, env } of PROCESSES) {
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  prefix(name, child.stdout, process.stdout);
  prefix(name, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`[${name}] exited (${signal ?? code}); stopping the others\n`);
      stopAll(1);
    }
  });
}

/** PORT_<SERVICE> (e.g. PORT_STUDENT_AID=4002) moves one service. */
function portOverride(name: string): Record<string, string> {
  const v = process.env[`PORT_${name.toUpperCase().replace(/-/g, '_')}`];
  return v ? { PORT: v } : {};
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
process.stdout.write(
  `starting ${SERVICES.map((s) => `${s.name} :${s.port}`).join(', ')}, console :${CONSOLE_PORT}\n` +
    `a token for the APIs: npm run token -- --role city_admin\n` +
    `the console: http://127.0.0.1:${CONSOLE_PORT}/ (sign in with such a token)\n`,
);
