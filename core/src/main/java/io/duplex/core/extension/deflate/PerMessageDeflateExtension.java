package io.duplex.core.extension.deflate;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.WebSocketException;
import java.nio.ByteBuffer;

/**
 * permessage-deflate on one connection, as negotiated (RFC 7692 §6, §7): claims RSV1 ("Per-Message
 * Compressed"), inflates received messages whose first frame has it, and compresses outgoing messages of at
 * least the threshold's size. Each direction has its own window size and context-takeover rule.
 */
public final class PerMessageDeflateExtension implements Extension {

    private static final int RSV1 = 4;

    private final ExtensionOffer negotiated;
    private final int threshold;
    private final int sendWindowBits;
    private final boolean sendNoContextTakeover;
    private final boolean receiveNoContextTakeover;
    private final MessageDeflater deflater;
    private final MessageInflater inflater;

    /**
     * @param negotiated the response element
     * @param sendWindowBits the window this side compresses with, 8..15
     * @param sendNoContextTakeover whether each sent message is compressed without the earlier ones' history
     * @param receiveNoContextTakeover whether the peer compresses each message without earlier history
     */
    PerMessageDeflateExtension(ExtensionOffer negotiated, int level, int threshold, int sendWindowBits,
            boolean sendNoContextTakeover, boolean receiveNoContextTakeover) {
        this.negotiated = negotiated;
        this.threshold = threshold;
        this.sendWindowBits = sendWindowBits;
        this.sendNoContextTakeover = sendNoContextTakeover;
        this.receiveNoContextTakeover = receiveNoContextTakeover;
        this.deflater = new MessageDeflater(sendWindowBits, level, sendNoContextTakeover);
        this.inflater = new MessageInflater(receiveNoContextTakeover);
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

    /** Ends the native zlib objects and drops the windowed compressor's arrays. Idempotent. */
    @Override
    public void release() {
        deflater.release();
        inflater.release();
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

    /** How many native zlib objects ({@code Deflater}, {@code Inflater}) this connection holds now. */
    public int nativeCodecsHeld() {
        return (deflater.holdsNative() ? 1 : 0) + (inflater.holdsNative() ? 1 : 0);
    }

    /** How many native zlib objects this connection created, and how many it ended: for leak checks. */
    public int nativeCodecsCreated() {
        return deflater.created + inflater.created;
    }

    /** How many native zlib objects this connection ended. */
    public int nativeCodecsEnded() {
        return deflater.ended + inflater.ended;
    }

    /** Heap bytes held by the windowed compressor (0 with a 15-bit send window or before the first message). */
    public long heapBytesHeld() {
        return deflater.heapBytes();
    }

    @Override
    public String toString() {
        return negotiated.toString();
    }
}
