package io.duplex.core;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One extension negotiated for one connection (RFC 6455 §9). Created by an {@link ExtensionFactory} during the
 * opening handshake; used by one connection, from one thread at a time.
 *
 * <p>The message transforms are per-message (the shape RFC 7692 gives permessage-deflate): an extension
 * claims a received data message by the RSV bits of its first frame and turns the payload of all of the
 * message's frames into the message's data; on send it may claim a message, whose first frame then carries its
 * RSV bits. The session enforces the limits on what the transform produces ({@link ExtensionOutput}), checks
 * the result (UTF-8 for text), and rejects RSV bits on continuation and control frames (1002). An extension
 * that transforms nothing keeps the defaults.
 */
public interface Extension {

    /** The name and parameters as agreed: the element the server sent in {@code Sec-WebSocket-Extensions}. */
    ExtensionOffer negotiated();

    /**
     * The RSV bits of the frame header this extension gives a meaning to: RSV1 = 4, RSV2 = 2, RSV3 = 1,
     * or a sum of them. Two extensions of one connection never claim the same bit.
     */
    int rsvBits();

    /** Whether this extension decodes a received data message whose first frame carries {@code rsv}. */
    default boolean decodes(int rsv) {
        return false;
    }

    /**
     * Decodes the next part of a claimed message's payload: consumes {@code in} and writes what it yields
     * through {@code out}. Called for each received chunk, then once more with an empty {@code in} and
     * {@code endOfMessage} true.
     *
     * @throws WebSocketException when the payload is invalid for this extension (for example 1007 for data
     *     that does not inflate), or as thrown by {@code out} when the message grows past its limit
     */
    default void decode(ByteBuffer in, boolean endOfMessage, ExtensionOutput out) throws WebSocketException {
        throw new UnsupportedOperationException(negotiated().name() + " decodes nothing");
    }

    /**
     * Whether, and how, this extension encodes an outgoing data message of {@code length} bytes (the whole
     * message, or -1 when it is sent in parts of unknown total): the RSV bits for its first frame, or 0 to
     * leave the message alone.
     */
    default int encodes(int opcode, long length) {
        return 0;
    }

    /**
     * Encodes the next part of a claimed outgoing message: consumes {@code in} and writes the frame payload
     * through {@code out}; {@code endOfMessage} on the message's last part.
     */
    default void encode(ByteBuffer in, boolean endOfMessage, ExtensionOutput out) {
        throw new UnsupportedOperationException(negotiated().name() + " encodes nothing");
    }

    /**
     * The connection has been idle (no data message in or out) for {@link #idleReleaseDelay()}: give back
     * what this extension holds between messages and can rebuild when the next one comes, for example a
     * compressor whose history it keeps. Must leave alone what a message in progress uses, in either
     * direction; may be called any number of times, also when nothing is held.
     *
     * @return whether anything was given back
     */
    default boolean releaseIdle() {
        return false;
    }

    /**
     * How long the connection should go without a data message before {@link #releaseIdle()} is called;
     * {@link Duration#ZERO} (the default) when it never needs to be.
     */
    default Duration idleReleaseDelay() {
        return Duration.ZERO;
    }

    /** The connection ended: release what this extension holds (for example native zlib memory). */
    default void release() {
    }
}
