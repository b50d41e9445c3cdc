package io.duplex.nio.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The per-loop buffer pool: recycles slot-sized buffers, cleared, and never retains more than asked. */
class TlsBufferPoolTest {

    @Test
    void aReleasedSlotComesBackCleared() {
        PooledBuffers pool = new PooledBuffers(1024, 2);
        ByteBuffer b = pool.acquire(100);
        b.put(new byte[10]).flip();

        pool.release(b);
        ByteBuffer again = pool.acquire(1024);

        assertSame(b, again);
        assertEquals(0, again.position());
        assertEquals(1024, again.limit());
    }

    @Test
    void largerRequestsAreExactAndNotRetained() {
        PooledBuffers pool = new PooledBuffers(1024, 2);
        ByteBuffer big = pool.acquire(5000);
        assertEquals(5000, big.capacity());

        pool.release(big);

        assertEquals(0, pool.retained());
        assertNotSame(big, pool.acquire(5000));
    }

    @Test
    void retainsAtMostMaxRetained() {
        PooledBuffers pool = new PooledBuffers(64, 2);
        ByteBuffer a = pool.acquire(64);
        ByteBuffer b = pool.acquire(64);
        ByteBuffer c = pool.acquire(64);

        pool.release(a);
        pool.release(b);
        pool.release(c);

        assertEquals(2, pool.retained());
    }

    @Test
    void unpooledAllocatesWhatIsAsked() {
        ByteBuffer b = TlsBufferPool.unpooled().acquire(300);
        assertTrue(b.capacity() >= 300 && b.position() == 0 && b.limit() == b.capacity());
    }

    @Test
    void nonsenseSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TlsBufferPool.pooled(0, 1));
        assertThrows(IllegalArgumentException.class, () -> TlsBufferPool.pooled(10, -1));
    }
}
