package io.duplex.nio;

import io.duplex.core.WebSocket;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's open connections by id, and the hooks told when one closes. Ids come from a counter owned by
 * the server, so two servers in one process number their connections independently. Thread-safe.
 *
 * <p>The connections sit in an {@link IdTable} keyed by their own id, so a listed connection costs one array
 * slot. Every access takes the registry's lock, held for a probe or two: opens and closes are rare next to
 * messages, and lookups by id rarer still.
 */
final class ConnectionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

    private final AtomicLong ids = new AtomicLong();
    private final List<Consumer<ServerConnection>> closeHooks = new CopyOnWriteArrayList<>();
    /** Guarded by itself. */
    private final IdTable<ServerConnection> open = new IdTable<>(ServerConnection::id);
    private final Collection<WebSocket> view = new AbstractCollection<>() {
        @Override
        public Iterator<WebSocket> iterator() {
            ServerConnection[] listed = snapshot();
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < listed.length;
                }

                @Override
                public WebSocket next() {
                    if (next >= listed.length) {
                        throw new NoSuchElementException();
                    }
                    return listed[next++].facade;
                }
            };
        }

        @Override
        public int size() {
            synchronized (open) {
                return open.size();
            }
        }
    };

    /** The next id: 1, 2, 3, ... */
    long nextId() {
        return ids.incrementAndGet();
    }

    void add(ServerConnection c) {
        synchronized (open) {
            open.add(c);
        }
    }

    /** Unlists {@code c} and runs the close hooks if it was listed; a hook that throws does not stop the rest. */
    void remove(ServerConnection c) {
        synchronized (open) {
            if (!open.remove(c)) {
                return;
            }
        }
        for (Consumer<ServerConnection> hook : closeHooks) {
            try {
                hook.accept(c);
            } catch (RuntimeException e) {
                LOG.warn("connection close hook failed", e);
            }
        }
    }

    WebSocket find(long id) {
        ServerConnection c;
        synchronized (open) {
            c = open.get(id);
        }
        return c == null ? null : c.facade;
    }

    /** Whether {@code c} is listed (open). */
    boolean contains(ServerConnection c) {
        synchronized (open) {
            return open.get(c.id()) == c;
        }
    }

    /**
     * An unmodifiable view of the open connections. An iterator walks a copy taken when it was made, so it
     * never fails and sees each connection at most once while connections open and close.
     */
    Collection<WebSocket> view() {
        return view;
    }

    void onClosed(Consumer<ServerConnection> hook) {
        closeHooks.add(hook);
    }

    private ServerConnection[] snapshot() {
        synchronized (open) {
            return open.copyInto(new ServerConnection[open.size()]);
        }
    }
}
