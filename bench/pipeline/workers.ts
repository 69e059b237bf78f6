import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { WorkerConfig } from './workload.js';

/** The repository root, whether this file runs from source (tests) or from dist (benchmarks). */
function repoRoot(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  while (!existsSync(resolve(dir, 'package.json'))) dir = resolve(dir, '..');
  return dir;
}

/** The compiled worker programs (npm run build puts them in dist/bench/pipeline; EDU_DIST moves dist). */
const DIST = resolve(repoRoot(), process.env.EDU_DIST ?? 'dist', 'bench/pipeline');

export interface WorkerMessage {
  type: 'ready' | 'written' | 'stats' | 'cpu';
  port?: number;
  written?: number;
  seconds?: number;
  peakRss?: number;
  /** CPU time the worker has used so far (user + system, microseconds); sent with ready and cpu. */
  cpuUs?: number;
}

/** A producer or consumer process of the pipeline, driven over IPC. */
export class PipelineWorker {
  private readonly messages: WorkerMessage[] = [];
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;
  output = '';
  /** The consumer's HTTP port (/metrics, /health). */
  port?: number;
  /** The worker's CPU time when it said ready (before a producer starts writing). */
  readyCpuUs = 0;

  private constructor(
    readonly kind: 'producer' | 'consumer',
    readonly child: ChildProcess,
  ) {
    child.on('message', (m: WorkerMessage) => {
      this.messages.push(m);
      this.waiters.splice(0).forEach((w) => w());
    });
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  static async start(kind: 'producer' | 'consumer', cfg: WorkerConfig): Promise<PipelineWorker> {
    const child = fork(resolve(DIST, `${kind}.js`), [], {
      env: { ...process.env, PIPELINE_WORKER: JSON.stringify(cfg) },
      // e.g. PIPELINE_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" to profile the workers.
      execArgv: [
        ...process.execArgv,
        ...(process.env.PIPELINE_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const worker = new PipelineWorker(kind, child);
    const ready = await worker.next('ready');
    worker.port = ready.port;
    worker.readyCpuUs = ready.cpuUs ?? 0;
    return worker;
  }

  /** The next message of a type (or one already received). */
  async next(type: WorkerMessage['type'], timeoutMs = 120000): Promise<WorkerMessage> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((m) => m.type === type);
      if (i >= 0) return this.messages.splice(i, 1)[0];
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `${this.kind} exited (${this.child.exitCode ?? this.child.signalCode}) before "${type}":\n${this.output.slice(-3000)}`,
        );
      }
      if (Date.now() > until)
        throw new Error(`${this.kind}: no "${type}" within ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  /** The worker's CPU time so far, in microseconds. */
  async cpu(): Promise<number> {
    this.child.send({ type: 'cpu' });
    return (await this.next('cpu')).cpuUs ?? 0;
  }

  /** Asks the worker to stop cleanly; returns its peak RSS. */
  async stop(): Promise<number> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return 0;
    this.child.send({ type: 'stop' });
    const stats = await this.next('stats', 60000);
    await this.exited;
    return stats.peakRss ?? 0;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }
}
