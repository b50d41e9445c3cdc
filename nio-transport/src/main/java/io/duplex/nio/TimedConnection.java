package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.nio.internal.jfr.Events;
import io.duplex.nio.internal.loop.EventLoop;
import io.duplex.nio.internal.loop.TimerWheel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeoutException;

/**
 * A connection's time: the deadline (the connect or opening-handshake timeout before the session opens, the
 * close timeout once the close began) and, while the session is open, the idle timeout, the keepalive Ping
 * with its Pong timeout, and the release of what the session holds between messages once it has had none for
 * a while (permessage-deflate's codecs). What the deadline's expiry means is for the layer above to decide;
 * the idle and keepalive timeouts fail the session with 1001.
 *
 * <p>The deadline is a timer on the loop's wheel, made only while one is armed. The other rules need none:
 * reads, writes and data messages stamp the time in fields of this connection, and the loop's sweep
 * ({@link EventLoop#sweepEvery}) compares the stamps with the timeouts, so an open connection holds no timer
 * object and traffic costs no timer work. A sweep check fires up to an eighth of the shortest of those
 * timeouts late, and never more than a second. Loop thread only.
 */
abstract class TimedConnection extends TcpConnection {

    /** The sweep's period at most: how late an idle or keepalive check may fire. */
    private static final long MAX_SWEEP_PERIOD_MILLIS = 1000;
    /** Sweeps per shortest timeout, so a check fires at most that fraction of its timeout late. */
    private static final long SWEEPS_PER_TIMEOUT = 8;

    /** The deadline; null while none is armed. */
    private TimerWheel.Timer deadline;
    /** When the peer's silence is counted from: its last read, or the keepalive Ping sent since. */
    private long silentSinceMillis;
    /** The last read or write, for the idle timeout. */
    private long lastActivityMillis;
    /** The last data message received or sent, for the idle release. */
    private long lastMessageMillis;
    /** Whether the sweep checks this connection: from the session's open (if either timeout is on) to its close. */
    private boolean swept;
    /** A keepalive Ping was sent and nothing was read since. */
    private boolean awaitingPong;

    TimedConnection(EventLoop loop, SocketChannel channel, ConnectionSettings settings) {
        super(loop, channel, settings);
    }

    // ---- what the layer above does with time ----------------------------------------------------------

    /** The deadline passed while armed. */
    abstract void deadlineExpired();

    /**
     * Whether the close handshake began (or already ended): idle and keepalive checks stop, as the close
     * timeout bounds what is left.
     */
    abstract boolean closeHandshakeStarted();

    /** Sends a keepalive Ping with an empty payload. */
    abstract void sendKeepalivePing();

    /** Fails the session with {@code code} (the peer went silent). */
    abstract void failSession(int code, String reason, Throwable cause);

    /** How long without a data message before {@link #releaseIdleMemory()} is called; 0: never. */
    abstract long idleReleaseMillis();

    /** The connection has had no data message for {@link #idleReleaseMillis()}: returns whether anything was given back. */
    abstract boolean releaseIdleMemory();

    // ---- the deadline ---------------------------------------------------------------------------------

    /** Arms (or re-arms) the deadline {@code millis} from now. */
    final void armDeadline(long millis) {
        if (deadline == null) {
            deadline = loop.newTimer(this::deadlinePassed);
        }
        loop.schedule(deadline, millis);
    }

    final boolean deadlineArmed() {
        return deadline != null && deadline.isArmed();
    }

    /** Arms the close timeout unless a deadline is already armed: it bounds the close handshake and TCP's close. */
    @Override
    public final void armCloseTimeout() {
        if (!deadlineArmed()) {
            armDeadline(settings.closeTimeoutMillis);
        }
    }

    private void deadlinePassed() {
        try {
            deadlineExpired();
        } catch (Throwable t) {
            internalError(t);
        }
    }

    // ---- idle timeout and keepalive -------------------------------------------------------------------

    /**
     * The session opened: drops the deadline and starts the idle timeout, keepalive and idle release that the
     * settings and the session enable, checked from now on by the loop's sweep.
     */
    final void startLiveness() {
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
        if (settings.idleTimeoutMillis <= 0 && settings.pingIntervalMillis <= 0 && idleReleaseMillis() <= 0) {
            return;
        }
        silentSinceMillis = lastActivityMillis = lastMessageMillis = loop.nowMillis();
        swept = true;
        loop.sweepEvery(sweepPeriodMillis());
    }

    /** Cancels every timer: the connection closed. */
    final void cancelTimers() {
        if (deadline != null) {
            deadline.cancel();
        }
        swept = false;
    }

    /** Bytes were read: the peer is alive, and the connection not idle. */
    final void bytesRead() {
        silentSinceMillis = lastActivityMillis = loop.nowMillis();
        awaitingPong = false;
    }

    /** Bytes reached the socket: the connection is not idle. */
    @Override
    public final void wrote() {
        lastActivityMillis = loop.nowMillis();
    }

    /** A data message (or part of one) was received or sent: the session is not idle. */
    final void messageMoved() {
        lastMessageMillis = loop.nowMillis();
    }

    @Override
    public final long sweep(long nowMillis) {
        if (!swept || isClosed()) {
            return 0;
        }
        try {
            checkLiveness(nowMillis);
        } catch (Throwable t) {
            internalError(t);
        }
        return swept && !isClosed() ? sweepPeriodMillis() : 0;
    }

    private void checkLiveness(long now) {
        if (closeHandshakeStarted()) {
            swept = false;
            return;
        }
        long idle = settings.idleTimeoutMillis;
        if (idle > 0 && now - lastActivityMillis >= idle) {
            timedOut(true, idle, "idle timeout", "no traffic for " + idle + " ms");
            return;
        }
        long release = idleReleaseMillis();
        if (release > 0 && now - lastMessageMillis >= release && releaseIdleMemory()) {
            settings.metrics.idleRelease();
        }
        long ping = settings.pingIntervalMillis;
        if (ping <= 0) {
            return;
        }
        long pong = settings.pongTimeoutMillis;
        if (awaitingPong) {
            if (now - silentSinceMillis >= pong) {
                timedOut(false, pong, "keepalive timeout", "no answer to ping within " + pong + " ms");
            }
        } else if (now - silentSinceMillis >= ping) {
            awaitingPong = true;
            silentSinceMillis = now;
            sendKeepalivePing();
        }
    }

    /** The peer went silent: counted and recorded, then the session fails with 1001. */
    private void timedOut(boolean idle, long timeoutMillis, String reason, String detail) {
        swept = false;
        Events.keepaliveTimeout(remoteAddress(), idle, timeoutMillis);
        settings.metrics.livenessTimeout(idle);
        failSession(CloseStatus.GOING_AWAY, reason, new TimeoutException(detail));
    }

    /** How often the sweep must check this connection: a fraction of its shortest timeout. */
    private long sweepPeriodMillis() {
        long shortest = Long.MAX_VALUE;
        if (settings.idleTimeoutMillis > 0) {
            shortest = settings.idleTimeoutMillis;
        }
        if (settings.pingIntervalMillis > 0) {
            shortest = Math.min(shortest, Math.min(settings.pingIntervalMillis, settings.pongTimeoutMillis));
        }
        long release = idleReleaseMillis();
        if (release > 0) {
            shortest = Math.min(shortest, release);
        }
        return Math.max(1, Math.min(MAX_SWEEP_PERIOD_MILLIS, shortest / SWEEPS_PER_TIMEOUT));
    }
}
