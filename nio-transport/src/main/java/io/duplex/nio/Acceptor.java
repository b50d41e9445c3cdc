package io.duplex.nio;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import io.duplex.nio.loop.IoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accepts a server's connections on one loop and hands each to the server. */
final class Acceptor implements IoHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);
    /** Accepts per readiness event at most, so a connection storm cannot starve the acceptor's loop. */
    private static final int MAX_ACCEPTS_PER_EVENT = 256;

    private final ServerSocketChannel channel;
    private final WebSocketServer server;

    Acceptor(ServerSocketChannel channel, WebSocketServer server) {
        this.channel = channel;
        this.server = server;
    }

    @Override
    public void ready(SelectionKey key) {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
            SocketChannel ch;
            try {
                ch = channel.accept();
            } catch (IOException e) {
                // Typically too many open files: keep serving the connections we have.
                LOG.warn("accept failed", e);
                return;
            }
            if (ch == null) {
                return;
            }
            server.accepted(ch);
        }
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
