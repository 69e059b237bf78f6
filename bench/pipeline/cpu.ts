import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (user + system, microseconds) of processes read from /proc, so the benchmark can
 * say where each event's CPU goes: the producer and consumer processes, RabbitMQ and Postgres.
 * Postgres and RabbitMQ are counted as a whole: anything else using them on the machine
 * counts too, which is why the benchmark wants a quiet machine.
 */
const TICK_US = 10_000; // USER_HZ is 100 on Linux

function stat(pid: number): { comm: string; us: number } | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')'));
    const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return { comm, us: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_US };
  } catch {
    return undefined; // gone, or not ours to read
  }
}

/** CPU of one process and its waited-for children. */
export function cpuOfPid(pid: number | undefined): number {
  return pid === undefined ? 0 : (stat(pid)?.us ?? 0);
}

/** CPU of every process whose command name is one of `names`, alive now. */
export function cpuOfCommand(...names: string[]): number {
  let us = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s && names.includes(s.comm)) us += s.us;
  }
  return us;
}

export interface CpuSample {
  postgres: number;
  broker: number;
  bench: number;
}

/** Postgres, RabbitMQ and this process, now. */
export function sampleCpu(): CpuSample {
  const own = process.cpuUsage();
  return {
    postgres: cpuOfCommand('postgres'),
    broker: cpuOfCommand('beam.smp', 'erl_child_setup', 'epmd'),
    bench: own.user + own.system,
  };
}

/**
 * The CPU of the Postgres backends serving one run (its connections' application_name starts
 * with `prefix`) and of Postgres's own background processes (WAL writer, checkpointer,
 * autovacuum), but not of other clients' backends: other work on the same server (another
 * engineer's tests) would otherwise be charged to the run. Backends are found by polling
 * pg_stat_activity; each one's CPU is counted from the start (or from its birth) to the end,
 * or to the last time it was seen if it has gone.
 */
export class PostgresCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;

  constructor(
    private readonly client: { query(text: string, values: unknown[]): Promise<{ rows: { pid: number }[] }> },
    private readonly prefix: string,
  ) {}

  private async poll(born: boolean): Promise<void> {
    const { rows } = await this.client.query(
      `SELECT pid FROM pg_stat_activity
       WHERE application_name LIKE $1 || '%' OR (backend_type <> 'client backend' AND pid <> pg_backend_pid())`,
      [this.prefix],
    );
    for (const { pid } of rows) {
      const us = cpuOfPid(pid);
      if (!this.first.has(pid)) this.first.set(pid, born ? 0 : us);
      this.last.set(pid, us);
    }
  }

  /** Takes the starting figures of the backends there now and keeps watching for new ones. */
  async start(): Promise<void> {
    await this.poll(false);
    this.timer = setInterval(() => {
      this.polling = this.poll(true).catch(() => undefined);
    }, 200);
  }

  /** CPU microseconds since start. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.polling;
    await this.poll(true);
    let us = 0;
    for (const [pid, from] of this.first) us += (this.last.get(pid) ?? from) - from;
    return us;
  }
}
