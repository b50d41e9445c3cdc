package io.duplex.interop;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What one client connection received, queued by the client API's callbacks (on its threads) and taken in
 * order by the {@link ScenarioClient} script (on the test thread), each with a bounded wait. Events are a
 * {@code String} (text message), a {@code byte[]} (binary message), {@link Pong}, {@link Closed} or
 * {@link Failure}.
 */
final class ClientEvents {

    static final long STEP_TIMEOUT_SECONDS = 10;

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    record Pong(String payload) {
    }

    record Closed(int code, String reason, boolean clean) {
    }

    record Failure(Throwable error) {
    }

    void add(Object event) {
        queue.add(event);
    }

    Object next() throws InterruptedException, StepFailed {
        Object event = queue.poll(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (event == null) {
            throw new StepFailed("no event within " + STEP_TIMEOUT_SECONDS + " s");
        }
        return event;
    }

    /** The next event if one comes within {@code seconds}, else {@code null}. */
    Object poll(long seconds) throws InterruptedException {
        return queue.poll(seconds, TimeUnit.SECONDS);
    }

    /** The next message or Pong; a close or an error ends the script here. */
    Object nextData() throws InterruptedException, StepFailed {
        Object event = next();
        if (event instanceof Closed || event instanceof Failure) {
            throw new StepFailed("connection ended early: " + event);
        }
        return event;
    }

    /** A step that cannot go on (for example because the connection closed early). */
    static final class StepFailed extends Exception {
        StepFailed(String message) {
            super(message);
        }
    }
}
