package io.duplex.nio.internal.jfr;

import java.net.InetSocketAddress;
import jdk.jfr.FlightRecorder;

/**
 * Records the transport's JFR events. Each method first asks whether Flight Recorder was ever started in this
 * JVM, a volatile read: until it is, no event class is even loaded, since loading the first one costs
 * hundreds of milliseconds (the JFR machinery behind it), which would otherwise land on an event loop with
 * the first connection. Once a recording runs, each event is only filled in when its type is enabled.
 * Call from the loop thread, where the event happened.
 */
public final class Events {

    private Events() {
    }

    private static boolean recorderStarted() {
        return FlightRecorder.isInitialized();
    }

    /** {@code host:port}, with an IPv6 host in brackets; {@code "?"} when unknown. */
    public static String address(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** See {@link ConnectionOpenedEvent}. */
    public static void connectionOpened(InetSocketAddress remote, String role) {
        if (!recorderStarted()) {
            return;
        }
        ConnectionOpenedEvent e = new ConnectionOpenedEvent();
        if (e.shouldCommit()) {
            e.remoteAddress = address(remote);
            e.role = role;
            e.commit();
        }
    }

    /** See {@link ConnectionClosedEvent}. */
    public static void connectionClosed(InetSocketAddress remote, String role, int code, String reason, boolean clean,
            long openNanos, long bytesIn, long bytesOut) {
        if (!recorderStarted()) {
            return;
        }
        ConnectionClosedEvent e = new ConnectionClosedEvent();
        if (e.shouldCommit()) {
            e.remoteAddress = address(remote);
            e.role = role;
            e.code = code;
            e.reason = reason;
            e.clean = clean;
            e.openNanos = openNanos;
            e.bytesIn = bytesIn;
            e.bytesOut = bytesOut;
            e.commit();
        }
    }

    /** See {@link HandshakeRejectedEvent}. */
    public static void handshakeRejected(InetSocketAddress remote, int status, String reason) {
        if (!recorderStarted()) {
            return;
        }
        HandshakeRejectedEvent e = new HandshakeRejectedEvent();
        if (e.shouldCommit()) {
            e.remoteAddress = address(remote);
            e.status = status;
            e.reason = reason;
            e.commit();
        }
    }

    /** See {@link OutboundOverflowEvent}. */
    public static void outboundOverflow(InetSocketAddress remote, long buffered, long limit, int code) {
        if (!recorderStarted()) {
            return;
        }
        OutboundOverflowEvent e = new OutboundOverflowEvent();
        if (e.shouldCommit()) {
            e.remoteAddress = address(remote);
            e.buffered = buffered;
            e.limit = limit;
            e.code = code;
            e.commit();
        }
    }

    /** See {@link KeepaliveTimeoutEvent}. */
    public static void keepaliveTimeout(InetSocketAddress remote, boolean idle, long timeoutMillis) {
        if (!recorderStarted()) {
            return;
        }
        KeepaliveTimeoutEvent e = new KeepaliveTimeoutEvent();
        if (e.shouldCommit()) {
            e.remoteAddress = address(remote);
            e.kind = idle ? "idle" : "pong";
            e.timeoutMillis = timeoutMillis;
            e.commit();
        }
    }

    /** See {@link SlowHandlerEvent}. */
    public static void slowHandler(String loop, String kind, Object handler, long blockedNanos, long thresholdNanos) {
        if (!recorderStarted()) {
            return;
        }
        SlowHandlerEvent e = new SlowHandlerEvent();
        if (e.shouldCommit()) {
            e.loop = loop;
            e.kind = kind;
            e.handler = String.valueOf(handler);
            e.blockedNanos = blockedNanos;
            e.thresholdNanos = thresholdNanos;
            e.commit();
        }
    }
}
