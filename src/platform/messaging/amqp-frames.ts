import type { ChannelModel } from 'amqplib';

/** The parts of amqplib's connection this reaches into (amqplib 1.x: lib/connection.js, lib/mux.js). */
interface FrameWriter {
  readonly muxer?: { _readIncoming?: () => void };
  readonly stream?: { cork?: () => void; uncork?: () => void };
}

/**
 * Sends the frames amqplib queued since its last write in one system call instead of one each.
 *
 * amqplib's muxer writes frame by frame to the socket, so with TCP_NODELAY a batch of 50 acks or
 * publishes was 50 `write` calls, and on this kind of VM each costs tens of microseconds of kernel
 * time (measured: 50 publishes, 50 writes → 1 writev). Corking the socket while the muxer empties
 * its queues lets Node hand them over in one `writev`; uncorking at the end of the same pass sends
 * them at once, so no frame waits longer than before.
 *
 * Reaches into amqplib's internals: if a later amqplib no longer has them, this does nothing and
 * the frames go one by one, as amqplib sends them (test/integration/amqp-frames.test.ts notices).
 */
export function writeFramesTogether(model: ChannelModel): boolean {
  const { muxer, stream } = (model as unknown as { connection?: FrameWriter }).connection ?? {};
  const readIncoming = muxer?._readIncoming;
  if (!muxer || typeof readIncoming !== 'function' || typeof stream?.cork !== 'function' || !stream.uncork) {
    return false;
  }
  muxer._readIncoming = () => {
    stream.cork!();
    try {
      readIncoming.call(muxer);
    } finally {
      stream.uncork!();
    }
  };
  return true;
}
