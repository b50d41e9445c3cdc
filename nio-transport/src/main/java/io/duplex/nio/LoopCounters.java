package io.duplex.nio;

import io.duplex.core.WebSocketHandler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The hot counts of one endpoint's connections on one event loop: written by that loop's thread alone, so an
 * increment is a plain read and an opaque store (no lock, no fence, no contention with other loops), and read
 * from any thread with opaque loads, which never see a torn value.
 */
final class LoopCounters {

    private static final VarHandle OPEN;
    private static final VarHandle MESSAGES_IN;
    private static final VarHandle MESSAGES_OUT;
    private static final VarHandle BYTES_IN;
    private static final VarHandle BYTES_OUT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OPEN = l.findVarHandle(LoopCounters.class, "open", long.class);
            MESSAGES_IN = l.findVarHandle(LoopCounters.class, "messagesIn", long.class);
            MESSAGES_OUT = l.findVarHandle(LoopCounters.class, "messagesOut", long.class);
            BYTES_IN = l.findVarHandle(LoopCounters.class, "bytesIn", long.class);
            BYTES_OUT = l.findVarHandle(LoopCounters.class, "bytesOut", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") private long open;
    @SuppressWarnings("unused") private long messagesIn;
    @SuppressWarnings("unused") private long messagesOut;
    @SuppressWarnings("unused") private long bytesIn;
    @SuppressWarnings("unused") private long bytesOut;
    /** The observer last made on this loop, shared by the connections reporting to the same handler. Loop thread. */
    private ConnectionObserver observer;

    private static void add(VarHandle h, LoopCounters c, long n) {
        h.setOpaque(c, (long) h.getOpaque(c) + n);
    }

    private static long get(VarHandle h, LoopCounters c) {
        return (long) h.getOpaque(c);
    }

    /**
     * The observer for a connection of this loop reporting to {@code handler}: the last one made if it serves
     * the same handler (the usual case, one handler per endpoint or route), else a new one. Loop thread.
     */
    ConnectionObserver observer(WebSocketHandler handler, TransportMetrics metrics) {
        ConnectionObserver o = observer;
        if (o == null || o.observed() != handler) {
            o = new ConnectionObserver(handler, this, metrics);
            observer = o;
        }
        return o;
    }

    void opened() {
        add(OPEN, this, 1);
    }

    void closed() {
        add(OPEN, this, -1);
    }

    void messageIn() {
        add(MESSAGES_IN, this, 1);
    }

    void messageOut() {
        add(MESSAGES_OUT, this, 1);
    }

    void bytesIn(long n) {
        add(BYTES_IN, this, n);
    }

    void bytesOut(long n) {
        add(BYTES_OUT, this, n);
    }

    long open() {
        return get(OPEN, this);
    }

    long messagesIn() {
        return get(MESSAGES_IN, this);
    }

    long messagesOut() {
        return get(MESSAGES_OUT, this);
    }

    long bytesIn() {
        return get(BYTES_IN, this);
    }

    long bytesOut() {
        return get(BYTES_OUT, this);
    }
}
