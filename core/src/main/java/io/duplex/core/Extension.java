package io.duplex.core;

/**
 * One extension negotiated for one connection (RFC 6455 §9). Created by an {@link ExtensionFactory} during the
 * opening handshake.
 *
 * <p>The message transforms (encode on send, decode on receive) will be added to this interface as default
 * methods, so implementations written against this version keep compiling.
 */
public interface Extension {

    /** The name and parameters as agreed: the element the server sent in {@code Sec-WebSocket-Extensions}. */
    ExtensionOffer negotiated();

    /**
     * The RSV bits of the frame header this extension gives a meaning to: RSV1 = 4, RSV2 = 2, RSV3 = 1,
     * or a sum of them. Two extensions of one connection never claim the same bit.
     */
    int rsvBits();
}
