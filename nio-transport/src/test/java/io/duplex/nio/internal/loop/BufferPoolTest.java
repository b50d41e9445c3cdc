package io.duplex.nio.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void countsOutstandingAndRecyclesClearedBuffers() {
        BufferPool pool = new BufferPool(64, 1);
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        assertEquals(2, pool.outstanding());
        assertTrue(a.isDirect());
        assertEquals(64, a.capacity());
        a.put((byte) 1).flip();
        pool.release(a);
        pool.release(b); // beyond maxRetained: dropped, still counted as returned
        assertEquals(0, pool.outstanding());
        ByteBuffer c = pool.acquire();
        assertSame(a, c);
        assertEquals(0, c.position());
        assertEquals(64, c.limit());
    }

    @Test
    void countsWhatTheFreeListRetains() {
        BufferPool pool = new BufferPool(64, 2);
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        ByteBuffer c = pool.acquire();
        assertEquals(0, pool.retained());
        pool.release(a);
        assertEquals(1, pool.retained());
        pool.release(b);
        pool.release(c); // the free list is full: left to the GC
        assertEquals(2, pool.retained());
        pool.acquire();
        assertEquals(1, pool.retained());
        assertEquals(1, pool.outstanding());
    }
}
