package io.duplex.core.internal.extension.deflate;

import java.nio.ByteBuffer;

/**
 * Receives the compressor's output. The compressor asks for room, writes at the returned buffer's position
 * and advances it; the sink owns growth, so one sink can be reused message after message without allocating
 * once it has grown to the usual message size.
 */
@FunctionalInterface
public interface Sink {

    /**
     * Returns the buffer to append to, positioned after the bytes written so far, with at least
     * {@code minRemaining} bytes remaining (grow or replace the buffer if needed). A replacement buffer must
     * already contain every byte written before.
     */
    ByteBuffer ensure(int minRemaining);
}
