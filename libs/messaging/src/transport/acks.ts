import type { Channel, Message } from 'amqplib';

/**
 * Acks for one channel, sent together. Deliveries are handled concurrently and finish out of
 * order; an inbox group commit finishes dozens at once. Each turn of the event loop, the
 * longest run of finished deliveries from the oldest unsettled one is acked with one
 * `multiple` ack, and any finished beyond a gap on their own, so no ack ever waits for a
 * slower delivery. RabbitMQ then settles a run with one command instead of one per message.
 *
 * A `multiple` ack covers every unsettled delivery up to its tag, so every delivery is
 * registered (`delivered`) the moment it arrives, and a nack leaves the list at once.
 */
export class ChannelAcks {
  /** Unsettled delivery tags, in delivery (and so tag) order. */
  private readonly open: number[] = [];
  private readonly finished = new Set<number>();
  private scheduled = false;

  constructor(
    private readonly ch: Pick<Channel, 'ack' | 'nack'>,
    private readonly onLost: (e: Error) => void,
  ) {}

  delivered(msg: Message): void {
    this.open.push(msg.fields.deliveryTag);
  }

  ack(msg: Message): void {
    this.finished.add(msg.fields.deliveryTag);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Sent at once, on its own; the delivery leaves the run so no later ack covers it. */
  nack(msg: Message, requeue: boolean): void {
    const tag = msg.fields.deliveryTag;
    const i = this.open.indexOf(tag);
    if (i >= 0) this.open.splice(i, 1);
    this.finished.delete(tag);
    this.send(() => this.ch.nack(msg, false, requeue));
  }

  /** Sends what is finished now (before the channel closes); otherwise it goes next turn. */
  flush(): void {
    this.scheduled = false;
    let run = 0;
    while (run < this.open.length && this.finished.has(this.open[run])) run++;
    if (run > 0) {
      const last = this.open[run - 1];
      for (const tag of this.open.splice(0, run)) this.finished.delete(tag);
      this.send(() => this.ch.ack(tagged(last), true));
    }
    if (this.finished.size === 0) return;
    for (const tag of this.finished) {
      const i = this.open.indexOf(tag);
      if (i >= 0) this.open.splice(i, 1);
      this.send(() => this.ch.ack(tagged(tag), false));
    }
    this.finished.clear();
  }

  /** An ack on a channel that has since closed is moot: the broker redelivers. */
  private send(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.onLost(e as Error);
    }
  }
}

function tagged(deliveryTag: number): Message {
  return { fields: { deliveryTag } } as Message;
}
