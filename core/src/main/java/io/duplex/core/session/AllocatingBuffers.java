package io.duplex.core.session;

import io.duplex.core.BufferProvider;
import java.nio.ByteBuffer;

/** {@link BufferProvider#allocating()}: a fresh heap buffer per request, nothing kept. */
public enum AllocatingBuffers implements BufferProvider {
    /** The one instance: it has no state. */
    INSTANCE;

    @Override
    public ByteBuffer acquire(int capacity, boolean direct) {
        return ByteBuffer.allocate(capacity);
    }

    @Override
    public void release(ByteBuffer buffer) {
        // Nothing is kept: the garbage collector takes it.
    }
}
