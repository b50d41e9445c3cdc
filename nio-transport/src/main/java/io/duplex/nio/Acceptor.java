package io.duplex.nio;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import io.duplex.nio.internal.loop.EventLoop;
import io.duplex.nio.internal.loop.IoHandler;
import io.duplex.nio.internal.loop.TimerWheel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accepts a server's connections on one loop and hands each to the server. */
final class Acceptor implements IoHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);
    /** Accepts per readiness event at most, so a connection storm cannot starve the acceptor's loop. */
    private static final int MAX_ACCEPTS_PER_EVENT = 256;

    /** The first pause after a failed accept; each further failure in a row doubles it, up to the maximum. */
    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long MAX_PAUSE_MILLIS = 1_000;

    private final ServerSocketChannel channel;
    private final WebSocketServer server;
    private final EventLoop loop;
    /** Turns accepting back on after a pause; made at the first failure. */
    private TimerWheel.Timer resume;
    private int failuresInARow;

    Acceptor(ServerSocketChannel channel, WebSocketServer server, EventLoop loop) {
        this.channel = channel;
        this.server = server;
        this.loop = loop;
    }

    @Override
    public void ready(SelectionKey key) {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
            SocketChannel ch;
            try {
                ch = channel.accept();
            } catch (IOException e) {
                pause(key, e);
                return;
            }
            if (ch == null) {
                return;
            }
            failuresInARow = 0;
            server.accepted(ch);
        }
    }

    /**
     * Stops accepting for a while. An accept fails typically because the process is out of file descriptors;
     * the connection stays in the backlog and the selector would report it again at once, so without a pause
     * the loop, which also serves the open connections, would spin on it until a descriptor is freed.
     */
    private void pause(SelectionKey key, IOException e) {
        long millis = Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(failuresInARow, 5));
        if (failuresInARow++ == 0) {
            LOG.warn("accept failed; not accepting for {} ms (and longer while it keeps failing)", millis, e);
        } else {
            LOG.debug("accept failed again; not accepting for {} ms", millis, e);
        }
        key.interestOps(0);
        if (resume == null) {
            // The acceptor keeps one key for its whole life.
            resume = loop.newTimer(() -> {
                if (key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            });
        }
        loop.schedule(resume, millis);
    }

    @Override
    public void loopClosing() {
        close();
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the server channel failed", e);
        }
    }
}
