package io.duplex.core.internal.frame;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocketException;
import java.nio.ByteBuffer;

/**
 * Decodes the frames of one direction of a connection (RFC 6455 §5.2) and enforces the frame-sequence rules
 * of §5.3–§5.5: masking direction, reserved opcodes and RSV bits, minimal length encoding, control frames
 * (final, at most 125 bytes, allowed between fragments) and fragmentation order. The first violation throws
 * {@link WebSocketException} with 1002 (protocol error) or 1009 (a data frame longer than the maximum,
 * decided from the length field alone); the decoder is dead from then on.
 *
 * <p>Input may be split anywhere, even inside a header: up to 14 header bytes are kept in a fixed array.
 * Payload is handed to the {@link FrameListener} as a view of the caller's buffer, so nothing is copied or
 * allocated per frame. Masked payload goes through {@link FrameListener#onMaskedPayload}, whose default
 * unmasks it in place; the caller's buffer must therefore be writable.
 *
 * <p>Not thread-safe: one decoder belongs to one connection and is fed by one thread at a time.
 */
public final class FrameDecoder {

    // What the next input bytes are.
    private static final int BASE_HEADER = 0;
    private static final int EXTENDED_LENGTH = 1;
    private static final int MASKING_KEY = 2;
    private static final int PAYLOAD = 3;
    private static final int STOPPED = 4;
    private static final int FAILED = 5;

    private final boolean expectMasked;
    private final long maxFrameSize;
    private final FrameListener listener;
    /** The RSV bits the connection's extensions give a meaning to; any other set bit fails the frame (§5.2). */
    private final int allowedRsv;

    private final byte[] header = new byte[FrameEncoder.MAX_HEADER_LENGTH];
    private int headerFilled;
    private int headerNeeded = 2;
    private int state = BASE_HEADER;
    private boolean stopRequested;
    /**
     * Whether a data message was started with FIN=0 and its final frame has not been read yet. This is the
     * connection's one record of it: the layers above take a message's type from its first frame and its end
     * from FIN, and need not know more, because a continuation without a start (or a new message inside one)
     * fails here, from the first two bytes of its header (§5.4).
     */
    private boolean fragmented;
    private WebSocketException failure;

    // The frame being read.
    private boolean fin;
    private int rsv;
    private int opcode;
    private boolean masked;
    private int maskingKey;
    private long payloadLength;
    private long payloadRead;

    /**
     * A decoder for a connection without extensions: a frame with any RSV bit set fails with 1002 (§5.2).
     *
     * @param expectMasked {@code true} on a server, where every client frame must be masked; {@code false} on
     *     a client, where no server frame may be (§5.1)
     * @param maxFrameSize the largest payload a data frame may declare; a larger one fails with 1009
     * @param listener receives the decoded frames
     */
    public FrameDecoder(boolean expectMasked, long maxFrameSize, FrameListener listener) {
        this(expectMasked, maxFrameSize, 0, listener);
    }

    /**
     * A decoder for a connection whose extensions give a meaning to some RSV bits.
     *
     * @param allowedRsv the RSV bits a negotiated extension may set, in the layout
     *     {@link FrameListener#onFrameHeader} reports (RSV1 = 4, RSV2 = 2, RSV3 = 1); a frame with any other RSV
     *     bit set fails with 1002 (§5.2). Which frames may carry them is the extensions' rule, not this decoder's.
     */
    public FrameDecoder(boolean expectMasked, long maxFrameSize, int allowedRsv, FrameListener listener) {
        if (maxFrameSize < 0) {
            throw new IllegalArgumentException("maxFrameSize must not be negative: " + maxFrameSize);
        }
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        this.expectMasked = expectMasked;
        this.maxFrameSize = maxFrameSize;
        this.listener = listener;
        this.allowedRsv = allowedRsv & 7;
    }

    /**
     * Consumes all remaining bytes of {@code in}, which may end anywhere, calling the listener for what they
     * complete. On return, and also when this throws, {@code in.position() == in.limit()}, with the limit as
     * it was. After {@link #stop()} took effect the bytes are ignored. Masked payload is unmasked in place,
     * so on a server {@code in} must be writable.
     *
     * @throws WebSocketException with 1002 or 1009 on the first violation, or whatever the listener threw;
     *     every later call throws it again
     */
    public void decode(ByteBuffer in) throws WebSocketException {
        int end = in.limit();
        if (state == FAILED) {
            in.position(end);
            if (failure != null) {
                throw failure;
            }
            throw new IllegalStateException("the frame listener failed earlier; this decoder is dead");
        }
        boolean completed = false;
        try {
            while (in.position() < end && state != STOPPED) {
                if (state == PAYLOAD) {
                    readPayload(in, end);
                } else {
                    readHeader(in);
                }
            }
            completed = true;
        } catch (WebSocketException e) {
            failure = e;
            throw e;
        } finally {
            if (!completed) {
                state = FAILED;
            }
            in.limit(end);
            in.position(end);
        }
    }

    /**
     * Stops decoding once the current frame has ended (at once when no frame header has been reported since
     * the last frame end): used when a Close frame arrived, after which nothing more is read (§5.5.1). Later
     * bytes are ignored. May be called from inside a listener callback.
     */
    public void stop() {
        stopRequested = true;
        if (state < PAYLOAD) {
            state = STOPPED;
        }
    }

    /** Whether the decoder is between frames and outside any message: it holds nothing of the stream. */
    public boolean betweenMessages() {
        return state == BASE_HEADER && headerFilled == 0 && !fragmented;
    }

    /** Whether a data message was started with FIN=0 and its final frame has not been read yet. */
    public boolean inFragmentedMessage() {
        return fragmented;
    }

    private void readHeader(ByteBuffer in) throws WebSocketException {
        int take = Math.min(headerNeeded - headerFilled, in.remaining());
        in.get(header, headerFilled, take);
        headerFilled += take;
        if (headerFilled < headerNeeded) {
            return;
        }
        switch (state) {
            case BASE_HEADER -> parseBaseHeader();
            case EXTENDED_LENGTH -> parseExtendedLength();
            default -> {
                maskingKey = (header[headerFilled - 4] & 0xFF) << 24 | (header[headerFilled - 3] & 0xFF) << 16
                        | (header[headerFilled - 2] & 0xFF) << 8 | (header[headerFilled - 1] & 0xFF);
                headerComplete();
            }
        }
    }

    /** Checks the first two bytes at once, so a bad frame fails before the rest of its header arrives. */
    private void parseBaseHeader() throws WebSocketException {
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        fin = (b0 & 0x80) != 0;
        rsv = (b0 >> 4) & 7;
        opcode = b0 & 0xF;
        masked = (b1 & 0x80) != 0;
        int length7 = b1 & 0x7F;
        if ((rsv & ~allowedRsv) != 0) {
            throw protocolError("RSV bits set that no extension negotiated");
        }
        if (!Opcode.isDefined(opcode)) {
            throw protocolError("reserved opcode 0x" + Integer.toHexString(opcode));
        }
        if (Opcode.isControl(opcode)) {
            if (!fin) {
                throw protocolError("fragmented control frame");
            }
            if (length7 > 125) {
                throw protocolError("control frame longer than 125 bytes");
            }
        } else if (opcode == Opcode.CONTINUATION) {
            if (!fragmented) {
                throw protocolError("continuation frame without a message to continue");
            }
        } else if (fragmented) {
            throw protocolError("new data message before the fragmented one ended");
        }
        if (masked != expectMasked) {
            throw protocolError(expectMasked ? "unmasked client frame" : "masked server frame");
        }
        if (length7 < 126) {
            lengthKnown(length7);
        } else {
            headerNeeded += length7 == 126 ? 2 : 8;
            state = EXTENDED_LENGTH;
        }
    }

    private void parseExtendedLength() throws WebSocketException {
        long length;
        if (headerNeeded == 4) {
            length = (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
            if (length < 126) {
                throw protocolError("16-bit length not minimally encoded");
            }
        } else {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = length << 8 | (header[i] & 0xFF);
            }
            if (length < 0) {
                throw protocolError("64-bit length with the most significant bit set");
            }
            if (length <= 0xFFFF) {
                throw protocolError("64-bit length not minimally encoded");
            }
        }
        lengthKnown(length);
    }

    private void lengthKnown(long length) throws WebSocketException {
        if (length > maxFrameSize && !Opcode.isControl(opcode)) {
            throw new WebSocketException(CloseStatus.MESSAGE_TOO_BIG,
                    "frame of " + length + " bytes exceeds the limit of " + maxFrameSize);
        }
        payloadLength = length;
        if (masked) {
            headerNeeded += 4;
            state = MASKING_KEY;
        } else {
            headerComplete();
        }
    }

    private void headerComplete() throws WebSocketException {
        headerFilled = 0;
        headerNeeded = 2;
        payloadRead = 0;
        state = PAYLOAD;
        if (!Opcode.isControl(opcode)) {
            fragmented = !fin;
        }
        listener.onFrameHeader(fin, rsv, opcode, payloadLength);
        if (payloadLength == 0) {
            frameEnd();
        }
    }

    /** Hands out the payload bytes available in {@code in} as a view limited to the current frame. */
    private void readPayload(ByteBuffer in, int end) throws WebSocketException {
        int start = in.position();
        int n = (int) Math.min(payloadLength - payloadRead, end - start);
        int chunkEnd = start + n;
        in.limit(chunkEnd);
        long offset = payloadRead;
        payloadRead += n;
        if (masked) {
            listener.onMaskedPayload(in, maskingKey, offset);
        } else {
            listener.onPayload(in);
        }
        // The listener may have moved position or limit; the chunk is consumed whatever it did.
        in.limit(end);
        in.position(chunkEnd);
        if (payloadRead == payloadLength) {
            frameEnd();
        }
    }

    private void frameEnd() throws WebSocketException {
        listener.onFrameEnd();
        state = stopRequested ? STOPPED : BASE_HEADER;
    }

    private static WebSocketException protocolError(String message) {
        return new WebSocketException(CloseStatus.PROTOCOL_ERROR, message);
    }
}
