package io.duplex.nio.internal.tls;

import java.nio.ByteBuffer;

/**
 * Where a {@link TlsEngine} borrows its packet-sized scratch buffers (pending ciphertext, a partial inbound
 * record, decrypted bytes that did not fit the caller's buffer) and returns them as soon as they are empty, so
 * an idle connection holds none.
 *
 * <p>Meant to be shared by the connections of one event loop, hence not thread-safe.
 */
public interface TlsBufferPool {

    /** A cleared buffer (position 0, limit = capacity) with at least {@code minCapacity} bytes of capacity. */
    ByteBuffer acquire(int minCapacity);

    /** Gives back a buffer obtained from {@link #acquire}; the caller no longer uses it. */
    void release(ByteBuffer buffer);

    /** A pool that keeps nothing: every acquire allocates a heap buffer, release drops it. */
    static TlsBufferPool unpooled() {
        return UnpooledBuffers.INSTANCE;
    }

    /**
     * A single-threaded pool that keeps up to {@code maxRetained} heap buffers of {@code slotCapacity} bytes;
     * requests larger than a slot are allocated exactly and dropped on release.
     */
    static TlsBufferPool pooled(int slotCapacity, int maxRetained) {
        return new PooledBuffers(slotCapacity, maxRetained);
    }
}
