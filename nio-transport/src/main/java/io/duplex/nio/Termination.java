package io.duplex.nio;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The one-way "this endpoint has terminated" signal that a server's or client's awaitTermination waits for. */
final class Termination {

    private final CountDownLatch latch = new CountDownLatch(1);

    /** Marks the endpoint terminated and releases every waiter; later calls do nothing. */
    void signal() {
        latch.countDown();
    }

    void await() throws InterruptedException {
        latch.await();
    }

    boolean await(Duration timeout) throws InterruptedException {
        return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean isDone() {
        return latch.getCount() == 0;
    }
}
