package io.duplex.core;

import java.nio.ByteBuffer;

/** {@link BufferProvider#allocating()}: a fresh heap buffer per request, nothing kept. */
enum AllocatingBuffers implements BufferProvider {
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
