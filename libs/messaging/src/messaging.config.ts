export interface MessagingConfig {
  /** Broker nodes to try in turn, e.g. amqp://guest:guest@127.0.0.1:5672 */
  urls: string[];
  /** Prefix of every exchange and queue name (`edu` → `edu.events`). */
  namespace: string;
  /** The service's name: its queues are `<ns>.<service>`, `.retry` and `.dlq`. */
  service: string;
  prefetch: number;
  /** Handler attempts before a message goes to the dead-letter queue. */
  maxAttempts: number;
  /** How long a failed message waits in the retry queue. */
  retryDelayMs: number;
  /** Broker-side guard against redelivery loops (crashing consumers). */
  deliveryLimit: number;
  relayBatchSize: number;
  /** Wait between claims when the outbox was found empty. */
  relayPollMs: number;
  /** Wait between claims while events are flowing (the last claim found some, but not a full batch). */
  relayBusyPollMs: number;
  /** Wake relays with LISTEN/NOTIFY as well as polling (costs producers commit throughput). */
  outboxNotify: boolean;
  publishTimeoutMs: number;
}

export const MESSAGING_DEFAULTS = {
  namespace: 'edu',
  // A relay claims a burst every OUTBOX_BUSY_POLL_MS (about 185 events at 1 850 events/s): a
  // window that takes the whole burst lets RabbitMQ deliver it in few writes instead of
  // trickling it out as acks free slots. In five alternated pipeline bench pairs 512 spent
  // about 6 % less CPU per event than 128. Unacked deliveries are cheap (a redelivery after a
  // crash is absorbed by the inbox); the inbox still commits at most 64 events at a time.
  prefetch: 512,
  maxAttempts: 5,
  retryDelayMs: 2000,
  deliveryLimit: 20,
  relayBatchSize: 200,
  relayPollMs: 100,
  // Each claim costs Postgres a planned query and a transaction whatever its size, and a burst
  // costs RabbitMQ less per message than a trickle: a steady stream claimed every 100 ms comes
  // in bigger batches (and so do the consumer's inbox commits). In alternated pipeline bench
  // runs 50 ms spent 10-15 % less CPU per event than 20 ms, and 100 ms about 8 % less than
  // 50 ms, each for at most 50 ms more latency (p99 at half rate stays well under 250 ms).
  relayBusyPollMs: 100,
  outboxNotify: false,
  publishTimeoutMs: 10000,
} satisfies Partial<MessagingConfig>;
