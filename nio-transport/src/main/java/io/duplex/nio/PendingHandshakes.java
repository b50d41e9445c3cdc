package io.duplex.nio;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server's connections still in their opening handshake, oldest first and counted by source: decides whom
 * to drop so that a new connection is always admitted. When the source of a new connection already has
 * {@code maxPerSource} pending, that source's oldest one goes, so one address can only ever push out its own
 * connections; else, when {@code max} are pending, the oldest of all goes: a slow-loris socket has been
 * pending far longer than a real client needs, and an attacker must now open {@code max} connections faster
 * than a real client completes its handshake to keep it out. A source is an IPv4 address or an IPv6 /64, the
 * block one host usually holds.
 *
 * <p>Any thread: connections are admitted and end their handshakes on every loop. One lock, held for a few
 * map operations; an entry exists only while its connection handshakes.
 */
final class PendingHandshakes {

    private final int max;
    private final int maxPerSource;
    /** Pending connections, oldest first, each with its source. */
    private final LinkedHashMap<ServerConnection, Object> byAge = new LinkedHashMap<>();
    private final Map<Object, int[]> perSource = new HashMap<>();

    PendingHandshakes(int max, int maxPerSource) {
        this.max = max;
        this.maxPerSource = maxPerSource;
    }

    /**
     * Adds {@code c}, from {@code source} ({@link #sourceOf}).
     *
     * @return the connection to drop to make room for it, or null; it is no longer counted here
     */
    synchronized ServerConnection admit(ServerConnection c, Object source) {
        ServerConnection victim = null;
        int[] count = perSource.get(source);
        if (count != null && count[0] >= maxPerSource) {
            victim = oldestFrom(source);
        } else if (byAge.size() >= max) {
            victim = byAge.keySet().iterator().next();
        }
        if (victim != null) {
            remove(victim);
        }
        byAge.put(c, source);
        perSource.computeIfAbsent(source, k -> new int[1])[0]++;
        return victim;
    }

    /** The handshake of {@code c} ended (or it was dropped); no-op when it is not counted any more. */
    synchronized void remove(ServerConnection c) {
        Object source = byAge.remove(c);
        if (source == null) {
            return;
        }
        int[] count = perSource.get(source);
        if (--count[0] == 0) {
            perSource.remove(source);
        }
    }

    /**
     * Whether more than half of {@code max} are pending, the one just admitted included: it found at least
     * half taken, so it gets the short deadline.
     */
    synchronized boolean underLoad() {
        return byAge.size() > max / 2;
    }

    synchronized int size() {
        return byAge.size();
    }

    private ServerConnection oldestFrom(Object source) {
        for (Iterator<Map.Entry<ServerConnection, Object>> it = byAge.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ServerConnection, Object> e = it.next();
            if (e.getValue().equals(source)) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("a source with pending connections has none");
    }

    /** The source {@code ch} counts against: its IPv4 address, or the /64 of its IPv6 address. */
    static Object sourceOf(SocketChannel ch) {
        SocketAddress remote;
        try {
            remote = ch.getRemoteAddress();
        } catch (IOException e) {
            return "unknown";
        }
        if (!(remote instanceof InetSocketAddress isa) || isa.getAddress() == null) {
            return "unknown";
        }
        InetAddress a = isa.getAddress();
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            long prefix = 0;
            for (int i = 0; i < 8; i++) {
                prefix = (prefix << 8) | (b[i] & 0xFF);
            }
            return prefix;
        }
        return a;
    }
}
