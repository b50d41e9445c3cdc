package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.internal.loop.EventLoop;
import io.duplex.nio.internal.loop.TimerWheel;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine behind a {@link ReconnectingWebSocket}, pinned to one event loop: dial, watch the
 * connection, arm the retry timer on the loop's wheel, stop. Every field is touched on the loop thread only,
 * except {@code stopping} and the facade's {@code current}.
 *
 * <p>At most one connection is under way or open at a time: a retry is armed only by the end of the previous
 * one (its connect failed, or it closed), and each connection gets its own {@link Link}, so a late event of
 * an old connection can never be taken for the current one's.
 */
final class Reconnector {

    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);

    private final ReconnectingWebSocket facade;
    private final WebSocketClient client;
    private final URI uri;
    private final WebSocketHandler handler;
    private final ConnectOptions options;
    private final Backoff backoff;
    private final IntPredicate reconnectOn;
    private final Predicate<Throwable> retryOn;
    private final ReconnectListener listener;
    private final RandomGenerator random;
    private final EventLoop loop;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private TimerWheel.Timer retry;
    /** Consecutive failed tries in this outage; the next retry is {@code attempt + 1}. */
    private int attempt;
    private boolean everOpened;
    private boolean dialing;
    private boolean stopped;
    private volatile boolean stopping;
    private int stopCode;
    private String stopReason;
    private boolean stopAbort;

    Reconnector(ReconnectingWebSocket facade, ReconnectingWebSocket.Builder b) {
        this.facade = facade;
        this.client = b.client;
        this.uri = b.uri;
        this.handler = b.handler;
        this.options = b.options;
        this.backoff = b.backoff;
        this.reconnectOn = b.reconnectOn;
        this.retryOn = b.retryOn;
        this.listener = b.listener;
        this.random = b.random;
        this.loop = b.client.nextLoop();
    }

    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** The state, for messages. Any thread (a racy but harmless read). */
    String describe() {
        if (terminated.isDone() || stopping) {
            return "stopped";
        }
        return facade.current != null ? "connected to " + uri : "reconnecting to " + uri + " (attempt " + attempt + ")";
    }

    void start() {
        onLoop(this::dial);
    }

    /** Any thread: stops for good; the loop does it in a task of its own, so a callback never re-enters. */
    void stop(int code, String reason, boolean abort) {
        stopping = true;
        onLoop(() -> {
            if (stopped) {
                return;
            }
            stopped = true;
            stopCode = code;
            stopReason = reason;
            stopAbort = abort;
            if (retry != null) {
                retry.cancel();
            }
            WebSocket c = facade.current;
            if (c != null) {
                shut(c); // its Link's onClose finishes
            } else if (!dialing) {
                finish(null);
            }
        });
    }

    private void shut(WebSocket c) {
        if (stopAbort) {
            c.abort();
        } else {
            c.close(stopCode, stopReason);
        }
    }

    private void dial() {
        if (stopped) {
            finish(null);
            return;
        }
        dialing = true;
        Link link = new Link();
        // Off the loop: connect() resolves the host name, which may block.
        try {
            ForkJoinPool.commonPool().execute(() -> {
                CompletableFuture<WebSocket> f;
                try {
                    f = client.connect(uri, link, options, loop);
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                f.whenComplete((ws, err) -> {
                    if (err != null) {
                        onLoop(() -> connectFailed(unwrap(err)));
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            connectFailed(e);
        }
    }

    private void connectFailed(Throwable err) {
        dialing = false;
        if (stopped) {
            finish(null);
        } else if (!retryOn.test(err)) {
            LOG.debug("not retrying {} after {}", uri, err.toString());
            finish(err);
        } else {
            scheduleRetry(err);
        }
    }

    private void scheduleRetry(Throwable cause) {
        int next = attempt + 1;
        if (!backoff.allows(next)) {
            finish(cause != null ? cause : new IOException("connection to " + uri + " lost"));
            return;
        }
        if (loop.isShutdown()) {
            finish(new IOException("the client's event loops are closed"));
            return;
        }
        attempt = next;
        long delay = backoff.delayMillis(attempt, random != null ? random : ThreadLocalRandom.current());
        if (retry == null) {
            retry = loop.newTimer(this::dial);
        }
        loop.schedule(retry, delay);
        LOG.debug("retry {} to {} in {} ms", attempt, uri, delay);
        try {
            listener.onRetryScheduled(attempt, Duration.ofMillis(delay), cause);
        } catch (RuntimeException e) {
            LOG.warn("onRetryScheduled failed", e);
        }
    }

    private void finish(Throwable failure) {
        stopped = true;
        if (facade.outbox != null) {
            facade.outbox.stop();
        }
        if (retry != null) {
            retry.cancel();
        }
        if (failure == null) {
            terminated.complete(null);
        } else {
            terminated.completeExceptionally(failure);
        }
    }

    /** Runs {@code task} on the loop in a task of its own; inline if the loop is gone (nothing else runs there). */
    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            stopped = true;
            terminated.completeExceptionally(new IOException("the client's event loops are closed", e));
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The handler of one connection: relays to the user's handler with the facade as the socket. Loop thread. */
    private final class Link implements WebSocketHandler {
        /** Whether the user's handler heard this connection open, and so must hear it close. */
        private boolean announced;

        @Override
        public void onOpen(WebSocket socket) {
            dialing = false;
            if (stopped) {
                shut(socket); // close() came while connecting
                return;
            }
            announced = true;
            facade.current = socket;
            if (facade.readingPaused) {
                socket.pauseReading();
            }
            int retries = attempt;
            boolean again = everOpened;
            attempt = 0;
            everOpened = true;
            if (facade.outbox == null) {
                handler.onOpen(facade);
            } else {
                // The handler re-subscribes first; what waited in the outbox follows, before any later send.
                facade.outbox.opening(socket);
                try {
                    handler.onOpen(facade);
                } finally {
                    facade.outbox.flush(socket);
                }
            }
            if (again && facade.current == socket) {
                try {
                    listener.onReconnected(facade, retries);
                } catch (RuntimeException e) {
                    LOG.warn("onReconnected failed", e);
                }
            }
        }

        @Override
        public void onText(WebSocket socket, String text) {
            if (announced) {
                handler.onText(facade, text);
            }
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            if (announced) {
                handler.onBinary(facade, data);
            }
        }

        @Override
        public void onTextFragment(WebSocket socket, String fragment, boolean last) {
            if (announced) {
                handler.onTextFragment(facade, fragment, last);
            }
        }

        @Override
        public void onBinaryFragment(WebSocket socket, ByteBuffer fragment, boolean last) {
            if (announced) {
                handler.onBinaryFragment(facade, fragment, last);
            }
        }

        @Override
        public void onPing(WebSocket socket, ByteBuffer payload) {
            if (announced) {
                handler.onPing(facade, payload);
            }
        }

        @Override
        public void onPong(WebSocket socket, ByteBuffer payload) {
            if (announced) {
                handler.onPong(facade, payload);
            }
        }

        @Override
        public void onWritabilityChanged(WebSocket socket, boolean writable) {
            if (announced) {
                handler.onWritabilityChanged(facade, writable);
            }
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            if (announced) {
                handler.onError(facade, error);
            }
        }

        @Override
        public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
            dialing = false;
            if (facade.current == socket) {
                facade.current = null;
            }
            if (facade.outbox != null) {
                facade.outbox.disconnected(socket);
            }
            if (announced) {
                try {
                    handler.onClose(facade, status, clean);
                } catch (RuntimeException e) {
                    LOG.warn("onClose failed", e);
                }
            }
            if (stopped) {
                finish(null);
            } else if (reconnectOn.test(status.code())) {
                scheduleRetry(null);
            } else {
                LOG.debug("not reconnecting to {} after close code {}", uri, status.code());
                finish(null);
            }
        }
    }
}
