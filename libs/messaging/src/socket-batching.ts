/**
 * amqplib hands its socket one chunk per frame group: its multiplexer takes a publish (or an
 * ack) at a time from each channel's queue and calls `socket.write` for each, so a relay batch
 * of 200 publishes costs 200 send system calls here and 200 reads in the broker, and a
 * consumer's 64 acks after one inbox commit cost 64 of each. Corking the socket while the
 * multiplexer drains its queues sends what one turn of the event loop produced in one
 * `writev`. Nothing is held back: the socket is uncorked before the drain returns, and the
 * frames keep their order.
 *
 * This reaches into amqplib's connection (the `muxer` and its `out` stream), whose version
 * the lockfile pins. If that shape is not there, nothing is changed and `false` is returned,
 * so an upgrade that moves it costs speed, not correctness.
 */
const BATCHED = Symbol('edu socket batching');

interface Muxer {
  out: { cork(): void; uncork(): void };
  _readIncoming(): void;
  [BATCHED]?: true;
}

export function batchSocketWrites(model: unknown): boolean {
  const muxer = (model as { connection?: { muxer?: Partial<Muxer> } } | undefined)?.connection?.muxer;
  if (
    !muxer ||
    typeof muxer._readIncoming !== 'function' ||
    typeof muxer.out?.cork !== 'function' ||
    typeof muxer.out.uncork !== 'function'
  )
    return false;
  const m = muxer as Muxer;
  if (m[BATCHED]) return true;
  const drain = m._readIncoming;
  m._readIncoming = function readCorked(this: Muxer) {
    this.out.cork();
    try {
      drain.call(this);
    } finally {
      this.out.uncork();
    }
  };
  m[BATCHED] = true;
  return true;
}
