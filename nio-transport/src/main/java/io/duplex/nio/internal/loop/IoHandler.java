package io.duplex.nio.internal.loop;

import java.nio.channels.SelectionKey;

/** What a channel registered with an {@link EventLoop} does when the selector reports it ready. */
public interface IoHandler {

    /** The channel of {@code key} is ready for {@code key.readyOps()}. Runs on the loop thread. */
    void ready(SelectionKey key);

    /** The loop is shutting down: release the channel at once. Runs on the loop thread. */
    void loopClosing();

    /**
     * The loop's periodic sweep ({@link EventLoop#sweepEvery}): checks the time-based rules that are coarse
     * enough to need no timer of their own (an idle timeout, a keepalive). Runs on the loop thread.
     *
     * @param nowMillis the loop's time
     * @return the longest the next sweep may wait for this handler, in milliseconds; 0 if it needs none
     */
    default long sweep(long nowMillis) {
        return 0;
    }
}
