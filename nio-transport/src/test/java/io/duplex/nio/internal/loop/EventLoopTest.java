package io.duplex.nio.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void theSweepVisitsEveryHandlerThatAsksAndStopsOnceNoneDoes() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
        AtomicInteger sourceSweeps = new AtomicInteger();
        AtomicInteger sinkSweeps = new AtomicInteger();
        CountDownLatch sourceDone = new CountDownLatch(1);
        CountDownLatch sinkDone = new CountDownLatch(1);
        // One handler wants three sweeps 10 ms apart, the other five; then neither wants any.
        loop.execute(() -> {
            try {
                loop.register(pipe.source(), 0, sweeping(sourceSweeps, 3, sourceDone));
                loop.register(pipe.sink(), 0, sweeping(sinkSweeps, 5, sinkDone));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loop.sweepEvery(10);
        });
        assertTrue(sourceDone.await(10, TimeUnit.SECONDS));
        assertTrue(sinkDone.await(10, TimeUnit.SECONDS), "swept on while one handler still asks");
        // The sweep that made the sink's fifth visit may not have visited the source yet: read once it ended.
        awaitOnePass();
        int source = sourceSweeps.get();
        int sink = sinkSweeps.get();
        assertEquals(5, sink, "each sweep visits every registered handler");
        assertEquals(5, source, "a handler that asks for nothing is still visited while others ask");
        Thread.sleep(200);
        awaitOnePass();
        assertEquals(source, sourceSweeps.get(), "no sweep once no handler asks for one");
        assertEquals(sink, sinkSweeps.get(), "no sweep once no handler asks for one");
        pipe.source().close();
        pipe.sink().close();
    }

    /** Waits until the loop ran a task, so that whatever it was doing when this was called has ended. */
    private void awaitOnePass() throws InterruptedException {
        CountDownLatch onLoop = new CountDownLatch(1);
        loop.execute(onLoop::countDown);
        assertTrue(onLoop.await(10, TimeUnit.SECONDS));
    }

    /** A handler that asks for a sweep every 10 ms until it was swept {@code wanted} times. */
    private static IoHandler sweeping(AtomicInteger sweeps, int wanted,
            CountDownLatch done) {
        return new IoHandler() {
            @Override
            public void ready(SelectionKey key) {
            }

            @Override
            public void loopClosing() {
            }

            @Override
            public long sweep(long nowMillis) {
                if (sweeps.incrementAndGet() >= wanted) {
                    done.countDown();
                    return 0;
                }
                return 10;
            }
        };
    }
}
