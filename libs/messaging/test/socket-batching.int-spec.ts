import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { TEST_AMQP_URL, openProbe, waitFor } from '@edu/testing';
import { BrokerConnection } from '../src/index.js';

/** Counts what reaches the socket layer: one call is one send system call (write or writev). */
function countSocketWrites() {
  const proto = net.Socket.prototype as unknown as { _writeGeneric: (...a: unknown[]) => unknown };
  const original = proto._writeGeneric;
  const counted = { calls: 0 };
  proto._writeGeneric = function (this: unknown, ...a: unknown[]) {
    counted.calls++;
    return original.apply(this, a);
  };
  return { counted, restore: () => (proto._writeGeneric = original) };
}

describe('frames written together (socket batching)', () => {
  it('sends a burst of publishes in a few writes, all of them, in order', async () => {
    const probe = await openProbe();
    const queue = `batching-${randomUUID()}`;
    await probe.channel.assertQueue(queue, { durable: false, autoDelete: false });
    const broker = new BrokerConnection([TEST_AMQP_URL], 'batching-test');
    try {
      const channel = broker.channel('batching', async () => undefined);
      await channel.waitForConnect();
      const n = 300;
      const { counted, restore } = countSocketWrites();
      try {
        await Promise.all(
          Array.from({ length: n }, (_, i) =>
            channel.publish('', queue, Buffer.from(String(i)), { persistent: false }),
          ),
        );
      } finally {
        restore();
      }
      // One write per publish without batching; the socket's high-water mark (16 KiB) still
      // splits a burst, but into a handful of writes, not hundreds.
      expect(counted.calls).toBeGreaterThan(0);
      expect(counted.calls).toBeLessThan(n / 10);

      const got: number[] = [];
      await probe.channel.consume(queue, (m) => m && got.push(Number(m.content.toString())), { noAck: true });
      await waitFor(
        async () => got.length,
        (k) => k >= n,
        { what: `${n} messages` },
      );
      expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
    } finally {
      await broker.close();
      await probe.channel.deleteQueue(queue);
      await probe.connection.close();
    }
  });
});
