package io.duplex.nio.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLoopTest {

    private EventLoop loop;

    @BeforeEach
    void start() {
        loop = new EventLoop("test-loop", 10, 1024, 256);
        loop.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdown();
        assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void tasksFromManyThreadsRunOnTheLoopInEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 5_000;
        List<int[]> seen = new ArrayList<>();
        AtomicBoolean offLoop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(producers * perProducer);
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads[p] = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    int seq = i;
                    loop.execute(() -> {
                        if (!loop.inEventLoop()) {
                            offLoop.set(true);
                        }
                        seen.add(new int[] {id, seq}); // loop thread only: no lock needed
                        done.countDown();
                    });
                }
            });
            threads[p].start();
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertFalse(offLoop.get());
        int[] next = new int[producers];
        CountDownLatch read = new CountDownLatch(1);
        loop.execute(read::countDown); // publishes `seen` to this thread
        assertTrue(read.await(5, TimeUnit.SECONDS));
        for (int[] s : seen) {
            assertEquals(next[s[0]]++, s[1], "producer " + s[0] + " out of order");
        }
    }

    @Test
    void timersFireOnTheLoopWithoutAnyOtherWakeup() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        long[] armedAt = new long[1];
        long[] firedAt = new long[1];
        loop.execute(() -> {
            armedAt[0] = System.nanoTime();
            TimerWheel.Timer t = loop.newTimer(() -> {
                firedAt[0] = System.nanoTime();
                fired.countDown();
            });
            loop.schedule(t, 50);
        });
        assertTrue(fired.await(5, TimeUnit.SECONDS));
        assertTrue(firedAt[0] - armedAt[0] >= TimeUnit.MILLISECONDS.toNanos(40), "fired too early");
    }
}
