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
