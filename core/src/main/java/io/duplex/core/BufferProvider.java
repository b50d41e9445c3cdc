package io.duplex.core;

import java.nio.ByteBuffer;

/**
 * Where a {@link io.duplex.core.engine.Session Session} (and a
 * {@link io.duplex.core.engine.ServerHandshake ServerHandshake}) gets the buffers it needs for a while and then gives
 * back: a chunk to encode or mask an outgoing frame into, the buffer a message split across frames is
 * assembled in, an extension's output, a request's header block. The core keeps no buffers of its own between
 * calls, per thread or anywhere else: whatever is pooled is pooled here, by the owner of the threads.
 *
 * <p>A provider need not be thread-safe: a session calls it only from the thread that drives the session, and
 * gives back every buffer on that thread too, except one it handed to {@link Transport#writeAndRelease}, which
 * the transport gives back through {@link #release} when it is done. So one provider per driving thread,
 * shared by the sessions that thread drives (as each event loop of the NIO transport does), needs no lock.
 * Sessions on threads of their own (a thread or a virtual thread per connection) use {@link #allocating()},
 * the default, and hold nothing while idle.
 */
public interface BufferProvider {

    /**
     * A cleared buffer with at least {@code capacity} bytes of room.
     *
     * @param capacity the least capacity wanted, at least 1
     * @param direct whether the bytes will be written to a channel, so a direct buffer saves the JDK a copy; a
     *     provider may still return a heap buffer. When {@code false} the buffer must be a heap buffer whose
     *     whole backing array is the buffer ({@code arrayOffset() == 0}, {@code array().length == capacity()})
     * @return a buffer the caller owns until it passes it to {@link #release}
     */
    ByteBuffer acquire(int capacity, boolean direct);

    /**
     * Takes back a buffer from {@link #acquire} once nobody reads or writes it any more. The provider may keep
     * it for a later {@code acquire} or drop it; it must accept, and may drop, buffers it did not hand out.
     */
    void release(ByteBuffer buffer);

    /**
     * A provider that pools nothing: every {@link #acquire} allocates a heap buffer of exactly the capacity
     * asked for, and {@link #release} drops it for the garbage collector. Stateless and thread-safe; the
     * default of {@link io.duplex.core.engine.Session.Builder#buffers}.
     */
    static BufferProvider allocating() {
        return AllocatingBuffers.INSTANCE;
    }

    /**
     * A new pool for the sessions one thread drives (an event loop): keeps released buffers for reuse, so a
     * session's steady state allocates nothing. Not thread-safe. Buffers come in power-of-two sizes from 64 KiB
     * (a smaller request gets 64 KiB): heap ones up to 1 MiB, direct ones up to 4 MiB; a larger request gets
     * a heap buffer of exactly its size, not kept after use. The pool keeps at most 1 MiB of heap buffers and
     * 8 MiB of direct ones; a buffer given back beyond that is dropped.
     */
    static BufferProvider pooled() {
        return new PooledBuffers();
    }
}
