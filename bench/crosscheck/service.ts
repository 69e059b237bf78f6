import 'reflect-metadata';
import { bootstrapService, FixedClock } from '@edu/service';
import { testMessagingConfig } from '@edu/testing';
import { AppModule } from '../../apps/dropout-control/src/app.module.js';
import { readDropoutControlConfig } from '../../apps/dropout-control/src/dropout-control.config.js';
import { migrations } from '../../apps/dropout-control/src/migrations/index.js';

/*
 * The dropout-control service as its own process for the cross-check benchmark, so that its
 * peak RSS is measured alone. Boots on 127.0.0.1:0 against the schema and broker namespace
 * it is given, reports its port, and on "stop" reports its peak RSS and exits.
 */

export interface ServiceWorkerConfig {
  databaseUrl: string;
  schema: string;
  namespace: string;
}

export type ServiceMessage =
  | { type: 'ready'; port: number; rss: number }
  | { type: 'cpu'; cpuMs: number }
  | { type: 'stats'; peakRss: number; rss: number; cpuMs: number };

const cfg = JSON.parse(process.env.CROSSCHECK_BENCH_SERVICE as string) as ServiceWorkerConfig;
const send = (m: ServiceMessage) => process.send?.(m);

const config = {
  ...readDropoutControlConfig({}),
  host: '127.0.0.1',
  port: 0,
  logLevel: 'warn' as const,
  migrateOnBoot: true,
  // Named after its schema, so the benchmark can find this service's Postgres backends.
  database: { url: cfg.databaseUrl, schema: cfg.schema, poolSize: 5, applicationName: cfg.schema },
  messaging: testMessagingConfig('dropout-control', cfg.namespace),
  sweepIntervalMs: 0,
};
// The 2020 sweep: ages count on 1 September 2020.
const app = await bootstrapService({
  config,
  module: AppModule.register(config, { clock: new FixedClock(new Date('2020-09-10T02:00:00Z')) }),
  migrations,
  title: 'dropout-control (bench)',
  description: 'benchmark',
});
const address = app.getHttpServer().address() as { port: number };
// Imports of a million rows take minutes; the default request timeout (5 min) must not cut them.
app.getHttpServer().requestTimeout = 0;
const bootCpu = process.cpuUsage();
send({ type: 'ready', port: address.port, rss: process.memoryUsage().rss });

process.on('message', (m: { type: string }) => {
  if (m.type === 'cpu') {
    // CPU of the service process since it was ready (user + system): the Node share of the work.
    const cpu = process.cpuUsage(bootCpu);
    send({ type: 'cpu', cpuMs: (cpu.user + cpu.system) / 1000 });
    return;
  }
  if (m.type !== 'stop') return;
  const cpu = process.cpuUsage(bootCpu);
  send({
    type: 'stats',
    peakRss: process.resourceUsage().maxRSS * 1024,
    rss: process.memoryUsage().rss,
    // CPU of the service process since it was ready (user + system): the Node share of the work.
    cpuMs: (cpu.user + cpu.system) / 1000,
  });
  void app.close().then(() => process.exit(0));
});
