package io.duplex.core.internal.session;

import io.duplex.core.BufferProvider;
import io.duplex.core.CloseStatus;
import io.duplex.core.Extension;
import io.duplex.core.WebSocketException;
import io.duplex.core.internal.frame.FrameListener;
import io.duplex.core.internal.frame.Masking;
import io.duplex.core.internal.frame.Opcode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The extensions a connection negotiated (RFC 6455 §9), and every rule about them: which RSV bits they own
 * (the frame decoder refuses the others, §5.2), that only a data message's first frame carries RSV bits (on a
 * continuation or control frame they fail with 1002, the per-message shape of RFC 7692 §6), which extension
 * decodes a received message (bits that none claims fail with 1002), how many wire bytes such a message may
 * take, which extension encodes an outgoing message, and releasing them all when the connection ends.
 *
 * <p>Received frames pass through {@link #decodingInto}'s stage on their way from the frame decoder to the
 * {@link MessageAssembler}: a plain message's frames untouched, a claimed message's payload through its
 * extension, whose output lands in the assembler's memory so the message limit holds while it grows. A sender
 * asks {@link #encodes} whether a message it starts goes through an extension and then has each part
 * {@link #encode encoded}.
 *
 * <p>A connection that negotiated no extension has no chain ({@link #of} returns null): nothing is decoded or
 * encoded, and its frame decoder refuses every RSV bit, so no rule here could apply. A second extension is a
 * class implementing {@link Extension} that the handshake agrees; nothing here changes for it.
 */
public final class ExtensionChain {

    private final Extension[] extensions;
    /** The union of the extensions' RSV bits: the frame decoder fails frames with any other bit set. */
    private final int rsvBits;
    /** Lends the buffers outgoing messages are encoded into. */
    private final BufferProvider buffers;
    /** Encodes outgoing messages; made with the first one an extension claims. */
    private MessageEncoding encoding;
    /** The extension encoding the message being sent, from its first part to its last; null otherwise. */
    private Extension sending;
    /** The RSV bits {@link #sending} asked for on the message's first frame. */
    private int sendingRsv;

    private ExtensionChain(List<Extension> extensions, BufferProvider buffers) {
        this.extensions = extensions.toArray(new Extension[0]);
        int rsv = 0;
        for (Extension e : this.extensions) {
            rsv |= e.rsvBits();
        }
        this.rsvBits = rsv;
        this.buffers = buffers;
    }

    /**
     * The chain of {@code extensions}, in the order the handshake agreed them, or null when there are none.
     *
     * @param buffers lends the buffers outgoing messages are encoded into
     */
    public static ExtensionChain of(List<Extension> extensions, BufferProvider buffers) {
        return extensions.isEmpty() ? null : new ExtensionChain(extensions, buffers);
    }

    /** The RSV bits the extensions give a meaning to (RSV1 = 4, RSV2 = 2, RSV3 = 1), for the frame decoder. */
    public int rsvBits() {
        return rsvBits;
    }

    /**
     * The stage that sits between the frame decoder and {@code assembler}: give it to the decoder as its
     * listener. Call once per connection.
     *
     * @param maxMessageSize the largest message delivered, which bounds the wire bytes of a claimed message
     */
    public FrameListener decodingInto(MessageAssembler assembler, long maxMessageSize) {
        return new Decoding(assembler, maxMessageSize);
    }

    /**
     * Whether the message being sent goes through an extension. At a message's first part ({@code continuing}
     * false) the first extension that claims a message of this type and {@code length} (the whole message's
     * UTF-8 or binary size, -1 when sent in parts) is chosen; later parts keep that choice.
     */
    public boolean encodes(int opcode, long length, boolean continuing) {
        if (continuing) {
            return sending != null;
        }
        sending = null;
        for (Extension e : extensions) {
            int rsv = e.encodes(opcode, length);
            if (rsv != 0) {
                sending = e;
                sendingRsv = rsv;
                return true;
            }
        }
        return false;
    }

    /** The RSV bits of the first frame of the message being encoded; its other frames carry none. */
    public int firstFrameRsv() {
        return sendingRsv;
    }

    /**
     * Runs the next part of the message being sent through its extension ({@link #encodes} returned true).
     * The result is borrowed: pass it to {@link #encoded} once it was written.
     */
    public ByteBuffer encode(ByteBuffer data, boolean last) {
        if (encoding == null) {
            encoding = new MessageEncoding(buffers);
        }
        ByteBuffer out = encoding.encode(sending, data, last);
        if (last) {
            sending = null;
        }
        return out;
    }

    /** Gives back a result of {@link #encode}. */
    public void encoded(ByteBuffer encoded) {
        encoding.done(encoded);
    }

    /**
     * The connection ended: every extension releases what it holds. One that throws does not keep the others
     * from releasing; its exception goes to {@code failures}.
     */
    public void release(Consumer<RuntimeException> failures) {
        for (Extension e : extensions) {
            try {
                e.release();
            } catch (RuntimeException ex) {
                failures.accept(ex);
            }
        }
    }

    /** The connection is idle: each extension gives back what it can rebuild ({@link Extension#releaseIdle}). */
    public boolean releaseIdle() {
        boolean released = false;
        for (Extension e : extensions) {
            released |= e.releaseIdle();
        }
        return released;
    }

    /** The shortest positive {@link Extension#idleReleaseDelay()} of the extensions, or zero when none has one. */
    public Duration idleReleaseDelay() {
        Duration shortest = Duration.ZERO;
        for (Extension e : extensions) {
            Duration d = e.idleReleaseDelay();
            if (!d.isNegative() && !d.isZero() && (shortest.isZero() || d.compareTo(shortest) < 0)) {
                shortest = d;
            }
        }
        return shortest;
    }

    /** The extension that decodes messages whose first frame carries {@code rsv}; none is a protocol error. */
    private Extension claim(int rsv) throws WebSocketException {
        for (Extension e : extensions) {
            if (e.decodes(rsv)) {
                return e;
            }
        }
        throw new WebSocketException(CloseStatus.PROTOCOL_ERROR, "RSV bits " + rsv + " claimed by no extension");
    }

    /**
     * The receive stage: checks the RSV rules of each frame, passes plain frames on, and runs a claimed
     * message's payload through its extension into the assembler.
     */
    private final class Decoding implements FrameListener {

        private final MessageAssembler next;
        private final long maxMessageSize;
        /** The extension decoding the message in progress, or null when its payload is its data. */
        private Extension decoding;
        /** Wire bytes the frames of the claimed message declared so far. */
        private long wireSize;
        private boolean control;
        private boolean fin;

        Decoding(MessageAssembler next, long maxMessageSize) {
            this.next = next;
            this.maxMessageSize = maxMessageSize;
        }

        @Override
        public void onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) throws WebSocketException {
            this.fin = fin;
            control = Opcode.isControl(opcode);
            if (control) {
                if (rsv != 0) {
                    throw new WebSocketException(CloseStatus.PROTOCOL_ERROR, "RSV bits set on a control frame");
                }
                next.onFrameHeader(fin, rsv, opcode, payloadLength);
                return;
            }
            if (opcode == Opcode.CONTINUATION) {
                if (rsv != 0) {
                    throw new WebSocketException(CloseStatus.PROTOCOL_ERROR, "RSV bits set on a continuation frame");
                }
                next.onFrameHeader(fin, rsv, opcode, payloadLength);
            } else {
                decoding = rsv == 0 ? null : claim(rsv);
                if (decoding == null) {
                    next.onFrameHeader(fin, rsv, opcode, payloadLength);
                    return;
                }
                wireSize = 0;
                next.onDecodedMessageHeader(fin, opcode, payloadLength);
            }
            if (decoding != null) {
                checkWireSize(payloadLength);
            }
        }

        /**
         * The limit is on the message as delivered: the extension's output is counted as it is produced, so
         * its wire bytes only need a bound that a message within the limit never reaches. Deflate's worst case
         * (stored blocks) adds 5 bytes per 65,535, so 1/1024 plus a little is ample, and still bounds a stream
         * that decodes to nothing.
         */
        private void checkWireSize(long payloadLength) throws WebSocketException {
            long slack = (maxMessageSize >> 10) + 1024;
            long limit = maxMessageSize > Long.MAX_VALUE - slack ? Long.MAX_VALUE : maxMessageSize + slack;
            if (payloadLength > limit - wireSize) {
                throw new WebSocketException(CloseStatus.MESSAGE_TOO_BIG,
                        "message larger than " + maxMessageSize + " bytes");
            }
            wireSize += payloadLength;
        }

        @Override
        public void onPayload(ByteBuffer chunk) throws WebSocketException {
            if (control || decoding == null) {
                next.onPayload(chunk);
                return;
            }
            decoding.decode(chunk, false, next);
            next.onDecoded(false);
        }

        @Override
        public void onMaskedPayload(ByteBuffer chunk, int maskingKey, long payloadOffset) throws WebSocketException {
            if (control || decoding == null) {
                next.onMaskedPayload(chunk, maskingKey, payloadOffset);
                return;
            }
            Masking.mask(chunk, maskingKey, payloadOffset);
            onPayload(chunk);
        }

        @Override
        public void onFrameEnd() throws WebSocketException {
            if (!control && fin && decoding != null) {
                Extension ending = decoding;
                decoding = null;
                ending.decode(MessageAssembler.EMPTY, true, next);
                next.onDecoded(true);
            }
            next.onFrameEnd();
        }
    }
}
