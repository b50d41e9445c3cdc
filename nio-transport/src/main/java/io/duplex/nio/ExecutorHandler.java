package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.Session;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler a connection's session reports to when the endpoint has a handler executor: on the loop each
 * callback becomes a {@link Callback} (its payload copied, as the loop reuses its buffers) in the connection's
 * {@link CallbackQueue}; on the executor the application's handler receives them in order, one at a time.
 *
 * <p>A callback that throws on the executor meets the policy the session applies on the loop: the handler
 * hears {@code onError}, the connection fails with 1011 ("handler failed"; an {@link Error} is the
 * transport's internal error, counted and logged), and {@code onClose} follows. Callbacks queued after the
 * one that threw are dropped, as the session delivers nothing after a failure but {@code onClose}.
 */
final class ExecutorHandler implements WebSocketHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorHandler.class);

    private final WebSocketHandler handler;
    private final Connection conn;
    private final CallbackQueue queue;
    /** Executor side: a callback threw, so only {@code onClose} is still delivered. */
    private boolean failed;

    ExecutorHandler(WebSocketHandler handler, Connection conn, Executor executor, int maxMessages, long maxBytes) {
        this.handler = handler;
        this.conn = conn;
        this.queue = new CallbackQueue(executor, this, conn, maxMessages, maxBytes);
    }

    /** Callbacks waiting for the application's handler, or being delivered to it. Any thread. */
    int backlog() {
        return queue.size();
    }

    // ---- loop side: queue each callback -----------------------------------------------------------------

    @Override
    public void onOpen(WebSocket socket) {
        queue.add(new Callback(Callback.Kind.OPEN, null, false, 0));
    }

    @Override
    public void onText(WebSocket socket, String text) {
        queue.add(new Callback(Callback.Kind.TEXT, text, true, text.length()));
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        queue.add(new Callback(Callback.Kind.BINARY, copy(data), true, data.remaining()));
    }

    @Override
    public void onTextFragment(WebSocket socket, String fragment, boolean last) {
        queue.add(new Callback(Callback.Kind.TEXT_FRAGMENT, fragment, last, fragment.length()));
    }

    @Override
    public void onBinaryFragment(WebSocket socket, ByteBuffer fragment, boolean last) {
        queue.add(new Callback(Callback.Kind.BINARY_FRAGMENT, copy(fragment), last, fragment.remaining()));
    }

    @Override
    public void onPing(WebSocket socket, ByteBuffer payload) {
        queue.add(new Callback(Callback.Kind.PING, copy(payload), false, payload.remaining()));
    }

    @Override
    public void onPong(WebSocket socket, ByteBuffer payload) {
        queue.add(new Callback(Callback.Kind.PONG, copy(payload), false, payload.remaining()));
    }

    @Override
    public void onWritabilityChanged(WebSocket socket, boolean writable) {
        queue.add(new Callback(Callback.Kind.WRITABILITY, null, writable, 0));
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        queue.add(new Callback(Callback.Kind.ERROR, error, false, 0));
    }

    @Override
    public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
        queue.add(new Callback(Callback.Kind.CLOSE, status, clean, 0));
    }

    /** A copy of {@code src}'s remaining bytes, leaving {@code src} as it was. */
    private static ByteBuffer copy(ByteBuffer src) {
        ByteBuffer c = ByteBuffer.allocate(src.remaining());
        c.put(src.duplicate()).flip();
        return c;
    }

    // ---- executor side: call the application's handler -------------------------------------------------

    /** Calls the application's handler for {@code c}, under the session's exception policy. Executor thread. */
    void deliver(Callback c) {
        if (failed && c.kind != Callback.Kind.CLOSE) {
            return;
        }
        WebSocket socket = conn.facade;
        try {
            switch (c.kind) {
                case OPEN -> handler.onOpen(socket);
                case TEXT -> handler.onText(socket, (String) c.value);
                case BINARY -> handler.onBinary(socket, (ByteBuffer) c.value);
                case TEXT_FRAGMENT -> handler.onTextFragment(socket, (String) c.value, c.flag);
                case BINARY_FRAGMENT -> handler.onBinaryFragment(socket, (ByteBuffer) c.value, c.flag);
                case PING -> handler.onPing(socket, (ByteBuffer) c.value);
                case PONG -> handler.onPong(socket, (ByteBuffer) c.value);
                case WRITABILITY -> handler.onWritabilityChanged(socket, c.flag);
                case ERROR -> handler.onError(socket, (Throwable) c.value);
                case CLOSE -> handler.onClose(socket, (CloseStatus) c.value, c.flag);
            }
        } catch (Throwable t) {
            threw(c.kind, t);
        }
    }

    private void threw(Callback.Kind kind, Throwable t) {
        if (kind == Callback.Kind.ERROR) {
            // As on the loop: a handler that fails while hearing of a failure has nowhere left to report to.
            logError(t);
            return;
        }
        if (kind == Callback.Kind.CLOSE) {
            // As on the loop: the connection is closed already; the handler hears of it.
            notifyError(t);
            logError(t);
            return;
        }
        failed = true;
        notifyError(t);
        if (t instanceof RuntimeException) {
            onLoop(() -> {
                Session session = conn.session();
                if (session != null && !session.isClosed()) {
                    conn.failSession(CloseStatus.INTERNAL_ERROR, "handler failed", null);
                }
            });
        } else {
            onLoop(() -> conn.internalError(t));
        }
    }

    /** The executor refused a task: the connection fails as for an internal error. */
    void rejected(RejectedExecutionException e) {
        onLoop(() -> conn.internalError(e));
    }

    private void notifyError(Throwable t) {
        try {
            handler.onError(conn.facade, t);
        } catch (Throwable ignored) {
            // nowhere left to report to
        }
    }

    /** Errors are logged where the loop would have caught them; a RuntimeException the session answers. */
    private static void logError(Throwable t) {
        if (!(t instanceof RuntimeException)) {
            LOG.error("handler callback threw on the executor", t);
        }
    }

    /**
     * Runs {@code task} on the connection's loop, later even when called there: the callers may be inside a
     * session call. Dropped when the loop is gone, which closes its connections itself.
     */
    void onLoop(Runnable task) {
        try {
            conn.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("loop shut down; task dropped");
        }
    }
}
