package io.duplex.nio;

import io.duplex.core.WebSocket;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's open connections by id, and the hooks told when one closes. Ids come from a counter owned by
 * the server, so two servers in one process number their connections independently. Thread-safe.
 */
final class ConnectionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, ServerConnection> open = new ConcurrentHashMap<>();
    private final List<Consumer<ServerConnection>> closeHooks = new CopyOnWriteArrayList<>();
    private final Collection<WebSocket> view = new AbstractCollection<>() {
        @Override
        public Iterator<WebSocket> iterator() {
            Iterator<ServerConnection> it = open.values().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public WebSocket next() {
                    return it.next().facade;
                }
            };
        }

        @Override
        public int size() {
            return open.size();
        }
    };

    /** The next id: 1, 2, 3, ... */
    long nextId() {
        return ids.incrementAndGet();
    }

    void add(ServerConnection c) {
        open.put(c.id, c);
    }

    /** Unlists {@code c} and runs the close hooks if it was listed; a hook that throws does not stop the rest. */
    void remove(ServerConnection c) {
        if (open.remove(c.id, c)) {
            for (Consumer<ServerConnection> hook : closeHooks) {
                try {
                    hook.accept(c);
                } catch (RuntimeException e) {
                    LOG.warn("connection close hook failed", e);
                }
            }
        }
    }

    WebSocket find(long id) {
        ServerConnection c = open.get(id);
        return c == null ? null : c.facade;
    }

    /** Whether {@code c} is listed (open). */
    boolean contains(ServerConnection c) {
        return open.get(c.id) == c;
    }

    /** An unmodifiable, weakly consistent view of the open connections. */
    Collection<WebSocket> view() {
        return view;
    }

    void onClosed(Consumer<ServerConnection> hook) {
        closeHooks.add(hook);
    }
}
