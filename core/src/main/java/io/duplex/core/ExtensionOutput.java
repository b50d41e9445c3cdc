package io.duplex.core;

import java.nio.ByteBuffer;

/**
 * Where an {@link Extension} writes what it decodes or encodes. The session owns the memory, so it can bound
 * a received message's decoded size while it grows (a decompression bomb stops at the limit, not after).
 */
public interface ExtensionOutput {

    /**
     * A buffer to write into at its position, with at least one byte free and usually at least
     * {@code wanted}; the extension advances its position by what it writes. Call again for more room.
     *
     * @throws WebSocketException with {@link CloseStatus#MESSAGE_TOO_BIG} when the message reached its limit
     */
    ByteBuffer buffer(int wanted) throws WebSocketException;
}
