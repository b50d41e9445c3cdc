package io.duplex.core.internal.extension.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The codec pool: reuse, reset on return, a bound on idle codecs, and exact accounting under contention. */
class CodecPoolTest {

    /** A stand-in codec that records resets and ends. */
    static final class Codec {
        int resets;
        boolean ended;
    }

    private static CodecPool<Codec> pool(int capacity) {
        return new CodecPool<>(Codec::new, c -> c.resets++, c -> c.ended = true, capacity);
    }

    @Test
    void aGivenBackCodecIsResetAndReused() {
        CodecPool<Codec> p = pool(2);
        Codec a = p.borrow();
        p.giveBack(a);
        assertEquals(1, a.resets);
        assertSame(a, p.borrow());
        assertNotSame(a, p.borrow(), "an empty pool creates");
        assertEquals(2, p.created());
    }

    @Test
    void codecsBeyondTheCapacityAreEnded() {
        CodecPool<Codec> p = pool(1);
        Codec a = p.borrow();
        Codec b = p.borrow();
        p.giveBack(a);
        p.giveBack(b);
        assertTrue(b.ended);
        assertEquals(1, p.idle());
        assertEquals(1, p.ended());
        p.discard(p.borrow());
        assertTrue(a.ended);
        assertEquals(0, p.idle());
    }

    @Test
    void accountingHoldsUnderContention() throws InterruptedException {
        CodecPool<Codec> p = pool(2);
        Set<Codec> inUse = ConcurrentHashMap.newKeySet();
        AtomicInteger clashes = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    Codec c = p.borrow();
                    if (!inUse.add(c)) {
                        clashes.incrementAndGet();
                    }
                    inUse.remove(c);
                    p.giveBack(c);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, clashes.get(), "a codec was lent to two borrowers at once");
        assertTrue(p.created() <= 4 + p.ended(), "created " + p.created());
        assertEquals(p.created(), p.ended() + p.idle());
    }
}
