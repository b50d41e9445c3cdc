package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.nio.jfr.Events;
import io.duplex.nio.loop.EventLoop;
import io.duplex.nio.loop.TimerWheel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeoutException;

/**
 * A connection's idle timeout and keepalive, on its loop's timer wheel. Timers are not re-armed on every
 * byte: each read or write only stamps the time, and a timer that fires early re-arms itself for the rest,
 * so traffic costs no timer work. Loop thread only; exists only when one of the two is enabled.
 */
final class Liveness {

    /** The open connection as its timers see it. */
    interface Peer {
        boolean isClosed();

        /** Whether the close handshake began: no keepalive Ping is sent from then on. */
        boolean closeHandshakeStarted();

        /** Sends a keepalive Ping with an empty payload. */
        void sendKeepalivePing();

        /** Fails the session with {@code code} (the peer went silent). */
        void failSession(int code, String reason, Throwable cause);

        InetSocketAddress remoteAddress();
    }

    private final Peer peer;
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

    private Liveness(Peer peer, EventLoop loop, ConnectionSettings settings) {
        this.peer = peer;
        this.loop = loop;
        this.settings = settings;
        this.lastReadMillis = this.lastActivityMillis = loop.nowMillis();
    }

    /** Starts the timers the settings enable; {@code null} when none is. */
    static Liveness start(Peer peer, EventLoop loop, ConnectionSettings s) {
        if (s.idleTimeoutMillis <= 0 && s.pingIntervalMillis <= 0) {
            return null;
        }
        Liveness l = new Liveness(peer, loop, s);
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
        if (peer.isClosed()) {
            return;
        }
        long idle = loop.nowMillis() - lastActivityMillis;
        if (idle >= settings.idleTimeoutMillis) {
            timedOut(true, settings.idleTimeoutMillis);
            peer.failSession(CloseStatus.GOING_AWAY, "idle timeout",
                    new TimeoutException("no traffic for " + settings.idleTimeoutMillis + " ms"));
        } else {
            loop.schedule(idleTimer, settings.idleTimeoutMillis - idle);
        }
    }

    /** The peer went silent: counted and recorded before the connection fails. */
    private void timedOut(boolean idle, long timeoutMillis) {
        Events.keepaliveTimeout(peer.remoteAddress(), idle, timeoutMillis);
        settings.metrics.livenessTimeout(idle);
    }

    private void pingCheck() {
        if (peer.isClosed() || peer.closeHandshakeStarted()) {
            return;
        }
        if (awaitingPong) {
            if (reads == readsAtPing) {
                timedOut(false, settings.pongTimeoutMillis);
                peer.failSession(CloseStatus.GOING_AWAY, "keepalive timeout",
                        new TimeoutException("no answer to ping within " + settings.pongTimeoutMillis + " ms"));
                return;
            }
            awaitingPong = false;
        }
        long silent = loop.nowMillis() - lastReadMillis;
        if (silent >= settings.pingIntervalMillis) {
            awaitingPong = true;
            readsAtPing = reads;
            peer.sendKeepalivePing();
            loop.schedule(pingTimer, settings.pongTimeoutMillis);
        } else {
            loop.schedule(pingTimer, settings.pingIntervalMillis - silent);
        }
    }
}
