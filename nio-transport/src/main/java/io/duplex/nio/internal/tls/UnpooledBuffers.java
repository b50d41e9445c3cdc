package io.duplex.nio.internal.tls;

import java.nio.ByteBuffer;

/** Allocates on every acquire; the garbage collector reclaims released buffers. */
final class UnpooledBuffers implements TlsBufferPool {

    static final UnpooledBuffers INSTANCE = new UnpooledBuffers();

    private UnpooledBuffers() {
    }

    @Override
    public ByteBuffer acquire(int minCapacity) {
        return ByteBuffer.allocate(minCapacity);
    }

    @Override
    public void release(ByteBuffer buffer) {
        // Dropping the reference is the release.
    }
}
