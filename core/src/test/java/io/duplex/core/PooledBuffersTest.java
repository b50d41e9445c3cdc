package io.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool an event loop lends its sessions: sizes, reuse, and the bounds on what it keeps. */
class PooledBuffersTest {

    private final PooledBuffers pool = new PooledBuffers();

    @Test
    void requestsRoundUpToPowerOfTwoClassesOfTheKindAsked() {
        ByteBuffer small = pool.acquire(10, false);
        assertEquals(PooledBuffers.CHUNK, small.capacity());
        assertFalse(small.isDirect());
        assertEquals(0, small.arrayOffset());
        assertEquals(small.capacity(), small.array().length);
        ByteBuffer direct = pool.acquire(PooledBuffers.CHUNK + 1, true);
        assertTrue(direct.isDirect());
        assertEquals(2 * PooledBuffers.CHUNK, direct.capacity());
        assertFalse(pool.acquire(PooledBuffers.MAX_DIRECT + 1, true).isDirect(), "beyond the direct classes: heap");
        assertEquals(PooledBuffers.MAX_HEAP + 1, pool.acquire(PooledBuffers.MAX_HEAP + 1, false).capacity());
    }

    @Test
    void aReleasedBufferIsHandedOutAgainCleared() {
        ByteBuffer a = pool.acquire(100, false);
        a.put((byte) 1).limit(7);
        pool.release(a);
        assertEquals(PooledBuffers.CHUNK, pool.retainedBytes());
        ByteBuffer b = pool.acquire(50, false);
        assertSame(a, b);
        assertEquals(0, b.position());
        assertEquals(b.capacity(), b.limit());
        assertEquals(0, pool.retainedBytes());
        assertNotSame(b, pool.acquire(50, false), "a buffer in use is never handed out twice");
    }

    @Test
    void whatIsKeptStaysWithinTheBudgets() {
        List<ByteBuffer> out = new ArrayList<>();
        // More of each kind than its budget holds: 200 chunks are 12.5 MiB.
        for (int i = 0; i < 200; i++) {
            out.add(pool.acquire(PooledBuffers.CHUNK, false));
            out.add(pool.acquire(PooledBuffers.CHUNK, true));
        }
        out.forEach(pool::release);
        assertEquals(PooledBuffers.MAX_RETAINED_HEAP + PooledBuffers.MAX_RETAINED_DIRECT, pool.retainedBytes());
    }

    @Test
    void foreignSlicedAndReadOnlyBuffersAreDropped() {
        pool.release(ByteBuffer.allocate(1000));
        pool.release(ByteBuffer.allocate(2 * PooledBuffers.CHUNK).slice(0, PooledBuffers.CHUNK));
        pool.release(ByteBuffer.allocate(PooledBuffers.CHUNK).asReadOnlyBuffer());
        pool.release(ByteBuffer.allocate(PooledBuffers.CHUNK + 1));
        assertEquals(0, pool.retainedBytes());
    }

    @Test
    void theAllocatingProviderKeepsNothingAndSizesExactly() {
        BufferProvider allocating = BufferProvider.allocating();
        ByteBuffer a = allocating.acquire(10, true);
        assertEquals(10, a.capacity());
        allocating.release(a);
        assertNotSame(a, allocating.acquire(10, true));
    }
}
