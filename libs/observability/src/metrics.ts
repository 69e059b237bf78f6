import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process; `/metrics` serves it. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const made = new Map<string, Counter | Gauge | Histogram>();

function once<T extends Counter | Gauge | Histogram>(name: string, make: () => T): T {
  let m = made.get(name);
  if (!m) {
    m = make();
    made.set(name, m);
  }
  return m as T;
}

export function counter(name: string, help: string, labelNames: string[] = []): Counter {
  return once(name, () => new Counter({ name, help, labelNames, registers: [metricsRegistry] }));
}

export function gauge(name: string, help: string, labelNames: string[] = []): Gauge {
  return once(name, () => new Gauge({ name, help, labelNames, registers: [metricsRegistry] }));
}

export function histogram(
  name: string,
  help: string,
  labelNames: string[] = [],
  buckets?: number[],
): Histogram {
  return once(
    name,
    () =>
      new Histogram({
        name,
        help,
        labelNames,
        ...(buckets ? { buckets } : {}),
        registers: [metricsRegistry],
      }),
  );
}
