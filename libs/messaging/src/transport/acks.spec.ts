import type { Message } from 'amqplib';
import { ChannelAcks } from './acks.js';

const msg = (deliveryTag: number) => ({ fields: { deliveryTag } }) as Message;
const nextTurn = () => new Promise((r) => setImmediate(r));

function recorder() {
  const sent: string[] = [];
  const ch = {
    ack: (m: Message, multiple?: boolean) =>
      void sent.push(`ack ${m.fields.deliveryTag}${multiple ? ' and all before' : ''}`),
    nack: (m: Message, _multiple?: boolean, requeue?: boolean) =>
      void sent.push(`nack ${m.fields.deliveryTag}${requeue ? ' requeue' : ''}`),
  };
  return { sent, ch };
}

describe('acks sent together', () => {
  it('acks a run finished in one turn with one multiple ack', async () => {
    const { sent, ch } = recorder();
    const acks = new ChannelAcks(ch, () => undefined);
    for (let t = 1; t <= 5; t++) acks.delivered(msg(t));
    for (const t of [3, 1, 5, 2, 4]) acks.ack(msg(t));
    expect(sent).toEqual([]);
    await nextTurn();
    expect(sent).toEqual(['ack 5 and all before']);
  });

  it('never lets a finished delivery wait for a slower one before it', async () => {
    const { sent, ch } = recorder();
    const acks = new ChannelAcks(ch, () => undefined);
    for (let t = 1; t <= 4; t++) acks.delivered(msg(t));
    acks.ack(msg(2));
    acks.ack(msg(3));
    await nextTurn();
    // 1 is still being handled: a multiple ack would cover it, so 2 and 3 go alone.
    expect(sent).toEqual(['ack 2', 'ack 3']);
    acks.ack(msg(4));
    acks.ack(msg(1));
    await nextTurn();
    expect(sent.slice(2)).toEqual(['ack 4 and all before']);
  });

  it('sends a nack at once and keeps it out of later multiple acks', async () => {
    const { sent, ch } = recorder();
    const acks = new ChannelAcks(ch, () => undefined);
    for (let t = 1; t <= 3; t++) acks.delivered(msg(t));
    acks.nack(msg(2), true);
    expect(sent).toEqual(['nack 2 requeue']);
    acks.ack(msg(3));
    await nextTurn();
    expect(sent).toEqual(['nack 2 requeue', 'ack 3']);
    acks.ack(msg(1));
    await nextTurn();
    expect(sent).toEqual(['nack 2 requeue', 'ack 3', 'ack 1 and all before']);
  });

  it('sends on flush without waiting for the next turn, and reports an ack its channel lost', async () => {
    const lost: string[] = [];
    const closed = {
      ack: () => {
        throw new Error('Channel closed');
      },
      nack: () => undefined,
    };
    const acks = new ChannelAcks(closed, (e) => lost.push(e.message));
    acks.delivered(msg(1));
    acks.ack(msg(1));
    acks.flush();
    expect(lost).toEqual(['Channel closed']);
    await nextTurn();
    expect(lost).toEqual(['Channel closed']);
  });
});
