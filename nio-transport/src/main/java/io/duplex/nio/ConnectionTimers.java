package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.nio.internal.jfr.Events;
import io.duplex.nio.internal.loop.EventLoop;
import io.duplex.nio.internal.loop.TimerWheel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeoutException;

/**
 * A connection's timers, on its loop's timer wheel: the deadline (the connect or opening-handshake timeout
 * before the session opens, the close timeout once the close began) and, while the session is open, the idle
 * timeout and the keepalive Ping with its Pong timeout. What the deadline's expiry means is the connection's
 * to decide; the idle and keepalive timeouts fail the session with 1001.
 *
 * <p>Timers are not re-armed on every byte: each read or write only stamps the time, and a timer that fires
 * early re-arms itself for the rest, so traffic costs no timer work. The object exists only while a timer is
 * needed ({@link #opened} drops it when neither idle timeout nor keepalive is on), so an open, idle connection
 * with both off holds none. Loop thread only.
 */
final class ConnectionTimers {

    /** The connection as its timers see it. */
    interface Owner {
        /** The deadline passed while armed. */
        void deadlineExpired();

        /** Whether the connection closed: a timer that fires late has nothing to do. */
        boolean isClosed();

        /** Whether the close handshake began: no keepalive Ping is sent from then on. */
        boolean closeHandshakeStarted();

        /** Sends a keepalive Ping with an empty payload. */
        void sendKeepalivePing();

        /** Fails the session with {@code code} (the peer went silent). */
        void failSession(int code, String reason, Throwable cause);

        /** The peer's address, for the recorded timeout event; null if unknown. */
        InetSocketAddress remoteAddress();
    }

    private final Owner owner;
    private final EventLoop loop;
    private final ConnectionSettings settings;
    private TimerWheel.Timer deadline;
    private TimerWheel.Timer idleTimer;
    private TimerWheel.Timer pingTimer;
    private long lastReadMillis;
    private long lastActivityMillis;
    /** Reads so far: any read after a keepalive Ping (a Pong or anything else) proves the peer alive. */
    private long reads;
    private long readsAtPing;
    private boolean awaitingPong;

    ConnectionTimers(Owner owner, EventLoop loop, ConnectionSettings settings) {
        this.owner = owner;
        this.loop = loop;
        this.settings = settings;
    }

    // ---- the deadline ----------------------------------------------------------------------------------

    /** Arms (or re-arms) the deadline {@code millis} from now. */
    void armDeadline(long millis) {
        if (deadline == null) {
            deadline = loop.newTimer(owner::deadlineExpired);
        }
        loop.schedule(deadline, millis);
    }

    boolean deadlineArmed() {
        return deadline != null && deadline.isArmed();
    }

    /**
     * The session opened: drops the deadline of {@code timers} (null if none was made) and starts the idle
     * timeout and keepalive the settings enable.
     *
     * @return the timers the open connection keeps: null when both idle timeout and keepalive are off
     */
    static ConnectionTimers opened(ConnectionTimers timers, Owner owner, EventLoop loop, ConnectionSettings s) {
        if (timers != null && timers.deadline != null) {
            timers.deadline.cancel();
            timers.deadline = null;
        }
        if (s.idleTimeoutMillis <= 0 && s.pingIntervalMillis <= 0) {
            return null;
        }
        ConnectionTimers t = timers != null ? timers : new ConnectionTimers(owner, loop, s);
        t.lastReadMillis = t.lastActivityMillis = loop.nowMillis();
        if (s.idleTimeoutMillis > 0) {
            t.idleTimer = loop.newTimer(t::idleCheck);
            loop.schedule(t.idleTimer, s.idleTimeoutMillis);
        }
        if (s.pingIntervalMillis > 0) {
            t.pingTimer = loop.newTimer(t::pingCheck);
            loop.schedule(t.pingTimer, s.pingIntervalMillis);
        }
        return t;
    }

    /** Cancels every timer: the connection closed. */
    void cancel() {
        if (deadline != null) {
            deadline.cancel();
        }
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (pingTimer != null) {
            pingTimer.cancel();
        }
    }

    // ---- idle timeout and keepalive --------------------------------------------------------------------

    void bytesRead() {
        lastReadMillis = lastActivityMillis = loop.nowMillis();
        reads++;
    }

    void bytesWritten() {
        lastActivityMillis = loop.nowMillis();
    }

    private void idleCheck() {
        if (owner.isClosed()) {
            return;
        }
        long idle = loop.nowMillis() - lastActivityMillis;
        if (idle >= settings.idleTimeoutMillis) {
            timedOut(true, settings.idleTimeoutMillis);
            owner.failSession(CloseStatus.GOING_AWAY, "idle timeout",
                    new TimeoutException("no traffic for " + settings.idleTimeoutMillis + " ms"));
        } else {
            loop.schedule(idleTimer, settings.idleTimeoutMillis - idle);
        }
    }

    /** The peer went silent: counted and recorded before the connection fails. */
    private void timedOut(boolean idle, long timeoutMillis) {
        Events.keepaliveTimeout(owner.remoteAddress(), idle, timeoutMillis);
        settings.metrics.livenessTimeout(idle);
    }

    private void pingCheck() {
        if (owner.isClosed() || owner.closeHandshakeStarted()) {
            return;
        }
        if (awaitingPong) {
            if (reads == readsAtPing) {
                timedOut(false, settings.pongTimeoutMillis);
                owner.failSession(CloseStatus.GOING_AWAY, "keepalive timeout",
                        new TimeoutException("no answer to ping within " + settings.pongTimeoutMillis + " ms"));
                return;
            }
            awaitingPong = false;
        }
        long silent = loop.nowMillis() - lastReadMillis;
        if (silent >= settings.pingIntervalMillis) {
            awaitingPong = true;
            readsAtPing = reads;
            owner.sendKeepalivePing();
            loop.schedule(pingTimer, settings.pongTimeoutMillis);
        } else {
            loop.schedule(pingTimer, settings.pingIntervalMillis - silent);
        }
    }
}
