package io.duplex.nio.internal.loop;

import java.nio.channels.SelectionKey;

/** What a channel registered with an {@link EventLoop} does when the selector reports it ready. */
public interface IoHandler {

    /** The channel of {@code key} is ready for {@code key.readyOps()}. Runs on the loop thread. */
    void ready(SelectionKey key);

    /** The loop is shutting down: release the channel at once. Runs on the loop thread. */
    void loopClosing();
}
