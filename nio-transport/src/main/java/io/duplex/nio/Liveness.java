package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.nio.jfr.Events;
import io.duplex.nio.loop.EventLoop;
import io.duplex.nio.loop.TimerWheel;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;

/**
 * A connection's idle timeout and keepalive, on its loop's timer wheel. Timers are not re-armed on every
 * byte: each read or write only stamps the time, and a timer that fires early re-arms itself for the rest,
 * so traffic costs no timer work. Loop thread only; exists only when one of the two is enabled.
 */
final class Liveness {

    /** Zero capacity, so no thread can change its position or limit: safe to share. */
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Connection conn;
    private final EventLoop loop;
    private final ConnectionSettings settings;
    private TimerWheel.Timer idleTimer;
    private TimerWheel.Timer pingTimer;
    private long lastReadMillis;
    private long lastActivityMillis;
    /** Reads so far: any read after a keepalive Ping (a Pong or anything else) proves the peer alive. */
    private long reads;
    private long readsAtPing;
    private boolean awaitingPong;

    private Liveness(Connection conn) {
        this.conn = conn;
        this.loop = conn.loop;
        this.settings = conn.settings;
        this.lastReadMillis = this.lastActivityMillis = loop.nowMillis();
    }

    /** Starts the timers the settings enable; {@code null} when none is. */
    static Liveness start(Connection conn) {
        ConnectionSettings s = conn.settings;
        if (s.idleTimeoutMillis <= 0 && s.pingIntervalMillis <= 0) {
            return null;
        }
        Liveness l = new Liveness(conn);
        if (s.idleTimeoutMillis > 0) {
            l.idleTimer = l.loop.newTimer(l::idleCheck);
            l.loop.schedule(l.idleTimer, s.idleTimeoutMillis);
        }
        if (s.pingIntervalMillis > 0) {
            l.pingTimer = l.loop.newTimer(l::pingCheck);
            l.loop.schedule(l.pingTimer, s.pingIntervalMillis);
        }
        return l;
    }

    void bytesRead() {
        lastReadMillis = lastActivityMillis = loop.nowMillis();
        reads++;
    }

    void bytesWritten() {
        lastActivityMillis = loop.nowMillis();
    }

    void cancel() {
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (pingTimer != null) {
            pingTimer.cancel();
        }
    }

    private void idleCheck() {
        if (conn.isClosed()) {
            return;
        }
        long idle = loop.nowMillis() - lastActivityMillis;
        if (idle >= settings.idleTimeoutMillis) {
            timedOut(true, settings.idleTimeoutMillis);
            conn.failSession(CloseStatus.GOING_AWAY, "idle timeout",
                    new TimeoutException("no traffic for " + settings.idleTimeoutMillis + " ms"));
        } else {
            loop.schedule(idleTimer, settings.idleTimeoutMillis - idle);
        }
    }

    /** The peer went silent: counted and recorded before the connection fails. */
    private void timedOut(boolean idle, long timeoutMillis) {
        Events.keepaliveTimeout(conn.remoteAddress(), idle, timeoutMillis);
        settings.metrics.livenessTimeout(idle);
    }

    private void pingCheck() {
        if (conn.isClosed() || conn.session.isClosing()) {
            return;
        }
        if (awaitingPong) {
            if (reads == readsAtPing) {
                timedOut(false, settings.pongTimeoutMillis);
                conn.failSession(CloseStatus.GOING_AWAY, "keepalive timeout",
                        new TimeoutException("no answer to ping within " + settings.pongTimeoutMillis + " ms"));
                return;
            }
            awaitingPong = false;
        }
        long silent = loop.nowMillis() - lastReadMillis;
        if (silent >= settings.pingIntervalMillis) {
            awaitingPong = true;
            readsAtPing = reads;
            conn.session.sendPing(EMPTY);
            loop.schedule(pingTimer, settings.pongTimeoutMillis);
        } else {
            loop.schedule(pingTimer, settings.pingIntervalMillis - silent);
        }
    }
}
