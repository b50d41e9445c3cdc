package io.duplex.core.engine;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.internal.session.MessageSink;
import java.nio.ByteBuffer;

/**
 * Every call a session makes into its {@link WebSocketHandler}, under the one policy the handler's contract
 * states: a callback that throws is reported to {@code onError}, then the connection is failed with 1011
 * (which reports {@code onClose}); an {@code onError} that throws is ignored, having nowhere left to report
 * to; an {@code onClose} that throws is reported to {@code onError}.
 *
 * <p>An instance is the end of the receive pipeline: it hands assembled messages and control frames to the
 * handler, telling the session what it delivered. The static methods are the calls the session makes on its
 * own, with or without a receive pipeline.
 */
final class HandlerCalls implements MessageSink {

    private final Session session;

    HandlerCalls(Session session) {
        this.session = session;
    }

    static void open(CloseHandshake s) {
        try {
            s.handler().onOpen(s.facade());
        } catch (RuntimeException e) {
            failed(s, e);
        }
    }

    static void writabilityChanged(CloseHandshake s, boolean writable) {
        try {
            s.handler().onWritabilityChanged(s.facade(), writable);
        } catch (RuntimeException e) {
            failed(s, e);
        }
    }

    static void error(CloseHandshake s, Throwable error) {
        try {
            s.handler().onError(s.facade(), error);
        } catch (RuntimeException ignored) {
            // A handler that fails while hearing of a failure has nowhere left to report to.
        }
    }

    static void closed(CloseHandshake s, CloseStatus status, boolean clean) {
        try {
            s.handler().onClose(s.facade(), status, clean);
        } catch (RuntimeException e) {
            error(s, e);
        }
    }

    private static void failed(CloseHandshake s, RuntimeException e) {
        s.failConnection(CloseStatus.INTERNAL_ERROR, "handler failed", e);
    }

    @Override
    public void onText(String text) {
        session.delivered(false);
        try {
            session.handler().onText(session.facade(), text);
        } catch (RuntimeException e) {
            failed(session, e);
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        session.delivered(false);
        try {
            session.handler().onBinary(session.facade(), data);
        } catch (RuntimeException e) {
            failed(session, e);
        }
    }

    @Override
    public void onTextFragment(String fragment, boolean last) {
        session.delivered(false);
        try {
            session.handler().onTextFragment(session.facade(), fragment, last);
        } catch (RuntimeException e) {
            failed(session, e);
        }
    }

    @Override
    public void onBinaryFragment(ByteBuffer fragment, boolean last) {
        session.delivered(false);
        try {
            session.handler().onBinaryFragment(session.facade(), fragment, last);
        } catch (RuntimeException e) {
            failed(session, e);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        session.delivered(false);
        session.answerPing(payload);
        try {
            session.handler().onPing(session.facade(), payload);
        } catch (RuntimeException e) {
            failed(session, e);
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        session.delivered(true);
        try {
            session.handler().onPong(session.facade(), payload);
        } catch (RuntimeException e) {
            failed(session, e);
        }
    }

    @Override
    public void onClose(CloseStatus status) {
        session.delivered(false);
        session.closeReceived(status);
    }
}
