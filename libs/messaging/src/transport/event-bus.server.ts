import { Logger } from '@nestjs/common';
import { BaseRpcContext, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { parseEnvelope, routingKeyOf, type EventEnvelope } from '@edu/contracts';
import { counter, histogram } from '@edu/observability';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { lastValueFrom } from 'rxjs';
import { BrokerConnection } from '../broker-connection.js';
import type { MessagingConfig } from '../messaging.config.js';
import { declareExchanges, declareServiceQueues, topologyNames } from '../topology/topology.js';
import { isPermanent } from './errors.js';
import { ChannelAcks } from './acks.js';

export const ATTEMPT_HEADER = 'x-edu-attempt';
export const ERROR_HEADER = 'x-edu-error';

/** What a handler can learn about the delivery besides the event: the raw message and attempt. */
export class EventBusContext extends BaseRpcContext<[ConsumeMessage, number]> {
  get message(): ConsumeMessage {
    return this.args[0];
  }
  get attempt(): number {
    return this.args[1];
  }
}

const handled = counter('events_handled_total', 'Events consumed, by outcome', ['service', 'key', 'outcome']);
const handleSeconds = histogram('event_handle_seconds', 'Time spent in event handlers', ['service', 'key']);

/**
 * The custom @nestjs/microservices transport for domain events: manual ack after the
 * handler (and so its transaction) finished, bounded prefetch, a retry queue with an
 * attempt counter for transient failures, and the dead-letter queue for invalid events,
 * permanent failures and exhausted retries. A failing message never blocks the others.
 */
export class EventBusServer extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  private readonly log: Logger;
  private connection?: BrokerConnection;
  private channel?: ChannelWrapper;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly subjects = new Map<string, Promise<void>>();
  private consumer?: { ch: ConfirmChannel; consumerTag: string };
  /** Acks of the current channel, sent together (a new channel after a reconnect gets its own). */
  private readonly acks = new WeakMap<ConfirmChannel, ChannelAcks>();
  /** Routing key → handler: Nest's lookup normalises the pattern on every call. */
  private readonly handlerCache = new Map<string, ReturnType<Server['getHandlerByPattern']>>();

  constructor(private readonly config: MessagingConfig) {
    super();
    this.log = new Logger(`EventBus:${config.service}`);
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    this.start()
      .then(() => callback())
      .catch((e: unknown) => callback(e));
  }

  private async start(): Promise<void> {
    const names = topologyNames(this.config.namespace, this.config.service);
    const keys = [...this.getHandlers().keys()];
    this.connection = new BrokerConnection(this.config.urls, `${this.config.service}-consumer`);
    this.channel = this.connection.channel('consumer', async (ch) => {
      if (keys.length === 0) return declareExchanges(ch, this.config.namespace);
      await declareServiceQueues(ch, this.config, keys);
      await ch.prefetch(this.config.prefetch);
      const acks = this.ackerOf(ch);
      const { consumerTag } = await ch.consume(
        names.queue,
        (msg) => {
          if (!msg) return;
          acks.delivered(msg);
          this.track(this.inSubjectOrder(ch, msg));
        },
        { noAck: false },
      );
      this.consumer = { ch, consumerTag };
    });
    await this.channel.waitForConnect();
    if (keys.length > 0) this.log.log(`consuming ${names.queue} for ${keys.join(', ')}`);
  }

  /**
   * Messages of one subject are handled one after another, in delivery order; different
   * subjects run concurrently up to the prefetch. (Across replicas, and for a retried
   * message, order is not guaranteed: handlers tolerate that.)
   */
  private inSubjectOrder(ch: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    const subject = String(msg.properties.headers?.subject ?? msg.properties.messageId ?? '');
    const previous = this.subjects.get(subject) ?? Promise.resolve();
    const next = previous.then(() => this.onMessage(ch, msg));
    this.subjects.set(subject, next);
    void next.finally(() => {
      if (this.subjects.get(subject) === next) this.subjects.delete(subject);
    });
    return next;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async onMessage(ch: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    const attempt = Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1);
    let envelope: EventEnvelope;
    try {
      envelope = parseEnvelope(JSON.parse(msg.content.toString('utf8')));
    } catch (e) {
      handled.inc({ service: this.config.service, key: 'invalid', outcome: 'dead_lettered' });
      return this.deadLetter(ch, msg, attempt, `invalid event: ${(e as Error).message}`);
    }
    const key = routingKeyOf(envelope);
    let handler = this.handlerCache.get(key);
    if (handler === undefined && !this.handlerCache.has(key)) {
      handler = this.getHandlerByPattern(key);
      this.handlerCache.set(key, handler);
    }
    if (!handler) {
      handled.inc({ service: this.config.service, key, outcome: 'dead_lettered' });
      return this.deadLetter(ch, msg, attempt, `no handler for ${key}`);
    }
    const stop = handleSeconds.startTimer({ service: this.config.service, key });
    try {
      const result = await handler(envelope, new EventBusContext([msg, attempt]));
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      stop();
      this.ackerOf(ch).ack(msg);
      handled.inc({ service: this.config.service, key, outcome: 'ok' });
    } catch (e) {
      stop();
      const reason = (e as Error)?.message ?? String(e);
      if (isPermanent(e) || attempt >= this.config.maxAttempts) {
        handled.inc({ service: this.config.service, key, outcome: 'dead_lettered' });
        this.log.error(`${key} ${envelope.id} dead-lettered after attempt ${attempt}: ${reason}`);
        return this.deadLetter(ch, msg, attempt, reason);
      }
      handled.inc({ service: this.config.service, key, outcome: 'retried' });
      this.log.warn(`${key} ${envelope.id} failed attempt ${attempt}, will retry: ${reason}`);
      await this.republish(ch, msg, topologyNames(this.config.namespace, this.config.service).retry, {
        [ATTEMPT_HEADER]: attempt + 1,
        [ERROR_HEADER]: reason.slice(0, 500),
      });
    }
  }

  private deadLetter(
    ch: ConfirmChannel,
    msg: ConsumeMessage,
    attempt: number,
    reason: string,
  ): Promise<void> {
    const { dlq } = topologyNames(this.config.namespace, this.config.service);
    return this.republish(ch, msg, dlq, { [ATTEMPT_HEADER]: attempt, [ERROR_HEADER]: reason.slice(0, 500) });
  }

  /** Hands the message to another queue (confirmed), then acks it here. */
  private async republish(
    ch: ConfirmChannel,
    msg: ConsumeMessage,
    queue: string,
    headers: Record<string, unknown>,
  ): Promise<void> {
    const p = msg.properties;
    const options: Options.Publish = {
      persistent: true,
      messageId: p.messageId,
      type: p.type ?? msg.fields.routingKey,
      contentType: p.contentType,
      correlationId: p.correlationId,
      appId: p.appId,
      timestamp: p.timestamp,
      headers: { ...p.headers, 'x-edu-routing-key': msg.fields.routingKey, ...headers },
    };
    try {
      await new Promise<void>((resolve, reject) =>
        ch.publish('', queue, msg.content, options, (err: unknown) =>
          err ? reject(err instanceof Error ? err : new Error('publish not confirmed')) : resolve(),
        ),
      );
      this.ackerOf(ch).ack(msg);
    } catch (e) {
      // Not handed over: let the broker redeliver it (the inbox makes that harmless).
      this.log.warn(`could not move message to ${queue}: ${(e as Error).message}`);
      this.ackerOf(ch).nack(msg, true);
    }
  }

  /** The channel's acks, made when its consumer starts (a reconnect's new channel gets its own). */
  private ackerOf(ch: ConfirmChannel): ChannelAcks {
    let acks = this.acks.get(ch);
    if (!acks) {
      acks = new ChannelAcks(ch, (e) => this.log.warn(`ack lost with its channel: ${e.message}`));
      this.acks.set(ch, acks);
    }
    return acks;
  }

  async close(): Promise<void> {
    await this.consumer?.ch.cancel(this.consumer.consumerTag).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    if (this.consumer) this.acks.get(this.consumer.ch)?.flush();
    await this.channel?.close();
    await this.connection?.close();
  }

  on(): never {
    throw new Error('EventBusServer does not expose broker events');
  }

  unwrap<T>(): T {
    return this.channel as T;
  }
}
