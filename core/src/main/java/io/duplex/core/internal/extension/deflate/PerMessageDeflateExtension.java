package io.duplex.core.internal.extension.deflate;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.WebSocketException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * permessage-deflate on one connection, as negotiated (RFC 7692 §6, §7): claims RSV1 ("Per-Message
 * Compressed"), inflates received messages whose first frame has it, and compresses outgoing messages of at
 * least the threshold's size. Each direction has its own window size and context-takeover rule. A direction
 * with context takeover holds its codec between messages until {@link #releaseIdle}, then only its history.
 */
public final class PerMessageDeflateExtension implements Extension {

    private static final int RSV1 = 4;

    private final ExtensionOffer negotiated;
    private final ZlibPools pools;
    private final int threshold;
    private final int sendWindowBits;
    private final boolean sendNoContextTakeover;
    private final boolean receiveNoContextTakeover;
    private final MessageDeflater deflater;
    private final MessageInflater inflater;
    /** After how long idle the transport should call {@link #releaseIdle}; zero: never. */
    private final Duration idleRelease;

    /**
     * @param negotiated the response element
     * @param sendWindowBits the window this side compresses with, 8..15
     * @param sendNoContextTakeover whether each sent message is compressed without the earlier ones' history
     * @param receiveNoContextTakeover whether the peer compresses each message without earlier history
     * @param receiveWindowBits the window the peer compresses with, 8..15
     * @param idleRelease the factory's setting, zero when codecs are kept while idle
     */
    PerMessageDeflateExtension(ExtensionOffer negotiated, ZlibPools pools, int threshold, int sendWindowBits,
            boolean sendNoContextTakeover, boolean receiveNoContextTakeover, int receiveWindowBits,
            Duration idleRelease) {
        this.pools = pools;
        this.negotiated = negotiated;
        this.threshold = threshold;
        this.sendWindowBits = sendWindowBits;
        this.sendNoContextTakeover = sendNoContextTakeover;
        this.receiveNoContextTakeover = receiveNoContextTakeover;
        this.deflater = new MessageDeflater(sendWindowBits, sendNoContextTakeover, pools);
        this.inflater = new MessageInflater(receiveNoContextTakeover, receiveWindowBits, pools.inflaters);
        this.idleRelease = sendNoContextTakeover && receiveNoContextTakeover ? Duration.ZERO : idleRelease;
    }

    @Override
    public ExtensionOffer negotiated() {
        return negotiated;
    }

    @Override
    public int rsvBits() {
        return RSV1;
    }

    @Override
    public boolean decodes(int rsv) {
        return rsv == RSV1;
    }

    @Override
    public void decode(ByteBuffer in, boolean endOfMessage, ExtensionOutput out) throws WebSocketException {
        inflater.decode(in, endOfMessage, out);
    }

    /** Compresses every message of {@code length} at least the threshold, and every message of unknown length. */
    @Override
    public int encodes(int opcode, long length) {
        return length >= 0 && length < threshold ? 0 : RSV1;
    }

    @Override
    public void encode(ByteBuffer in, boolean endOfMessage, ExtensionOutput out) {
        deflater.encode(in, endOfMessage, out);
    }

    /**
     * Gives the codecs back to the factory's pool (which ends those it has no room for), or ends them when a
     * message was cut short. Idempotent.
     */
    @Override
    public void release() {
        deflater.release();
        inflater.release();
    }

    /**
     * Gives each direction's codec back to the pool, keeping only its history (at most one window of
     * uncompressed bytes), unless that direction is in the middle of a message; the next message borrows a
     * codec and primes it with the history, so the streams continue as if nothing happened.
     */
    @Override
    public boolean releaseIdle() {
        boolean sent = deflater.releaseIdle();
        return inflater.releaseIdle() | sent;
    }

    /** The factory's idle-release setting, or zero when neither direction keeps context between messages. */
    @Override
    public Duration idleReleaseDelay() {
        return idleRelease;
    }

    /** The window this side compresses with (base-2 logarithm). */
    public int sendWindowBits() {
        return sendWindowBits;
    }

    /** Whether this side compresses each message without the earlier ones' history. */
    public boolean sendNoContextTakeover() {
        return sendNoContextTakeover;
    }

    /** Whether the peer compresses each message without earlier history (the inflater is reset per message). */
    public boolean receiveNoContextTakeover() {
        return receiveNoContextTakeover;
    }

    /** Whether this connection holds a compressor now (native or windowed). */
    public boolean holdsSendCodec() {
        return deflater.holdsCodec();
    }

    /** Whether this connection holds a decompressor now. */
    public boolean holdsReceiveCodec() {
        return inflater.holdsNative();
    }

    /** The factory's codec pools this connection borrows from and gives back to: for leak checks. */
    public ZlibPools pools() {
        return pools;
    }

    /**
     * Heap bytes held: the windowed compressor's arrays while it is held, and each direction's history with
     * context takeover (0 once the connection ended).
     */
    public long heapBytesHeld() {
        return deflater.heapBytes() + inflater.heapBytes();
    }

    @Override
    public String toString() {
        return negotiated.toString();
    }
}
