package io.duplex.conformance;

import io.duplex.core.WebSocket;
import io.duplex.nio.TransportBuilder;
import io.duplex.nio.WebSocketClient;
import io.duplex.nio.WebSocketServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Our implementation in one role, running {@link EchoHandler} over real loopback TCP, with the raw peer
 * connected to it. Each test case gets a fresh one on one event loop.
 */
abstract class Testee implements AutoCloseable {

    /** The close timeout of a server testee: longer than {@link RawPeer#FAIL_WITHIN}, so waiting out its timer
     *  instead of dropping TCP after failing the connection is caught. */
    static final Duration SERVER_CLOSE_TIMEOUT = Duration.ofSeconds(3);
    /** The close timeout of a client testee: how long it waits for the server to drop TCP (§7.1.1). */
    static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(1);

    final EchoHandler handler = new EchoHandler();
    RawPeer peer;

    /** Starts our server and connects a {@link RawClient} to it, which sends {@code early} with its request. */
    static Testee server(Consumer<TransportBuilder<?>> options, byte[] early) throws IOException {
        return server(options, early, null);
    }

    /** As {@link #server(Consumer, byte[])}, the raw client offering {@code extensions} unless null. */
    static Testee server(Consumer<TransportBuilder<?>> options, byte[] early, String extensions) throws IOException {
        WebSocketServer.Builder b = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .closeTimeout(SERVER_CLOSE_TIMEOUT);
        ServerTestee t = new ServerTestee();
        options.accept(b);
        t.server = b.handler(t.handler).build().start();
        try {
            t.peer = RawClient.connect(t.server.port(), early, extensions);
        } catch (IOException | RuntimeException | Error e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Listens with a {@link RawServer} and connects our client to it; {@code early} follows the 101 at once. */
    static Testee client(Consumer<TransportBuilder<?>> options, byte[] early) throws Exception {
        return client(options, early, offer -> "");
    }

    /** As {@link #client(Consumer, byte[])}, the raw server answering our client's extension offer with {@code answer}. */
    static Testee client(Consumer<TransportBuilder<?>> options, byte[] early, UnaryOperator<String> answer)
            throws Exception {
        WebSocketClient.Builder b = WebSocketClient.builder().loops(1).closeTimeout(CLIENT_CLOSE_TIMEOUT);
        options.accept(b);
        ClientTestee t = new ClientTestee();
        t.client = b.build();
        try {
            t.listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            var opened = t.client.connect(
                    URI.create("ws://127.0.0.1:" + t.listener.getLocalPort() + "/conformance"), t.handler);
            t.peer = RawServer.accept(t.listener, RawPeer.PROMPT, early, answer);
            opened.get(RawPeer.PROMPT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Our side of the connection, for cases where the testee starts something itself. */
    WebSocket socket() throws Exception {
        return handler.opened.get(RawPeer.PROMPT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Shuts our endpoint down as an application would: a server stops gracefully (waiting up to
     * {@code within} for its connections to close), a client closes its loops.
     */
    abstract void shutDown(Duration within);

    /** How our side reported the end of the connection; fails if it did not within {@code within}. */
    EchoHandler.Closed awaitClosed(Duration within) throws Exception {
        return handler.closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static final class ServerTestee extends Testee {
        WebSocketServer server;

        @Override
        void shutDown(Duration within) {
            server.stop(within);
        }

        @Override
        public void close() throws IOException {
            try {
                if (peer != null) {
                    peer.close();
                }
            } finally {
                server.stop(Duration.ofSeconds(2));
            }
            if (server.connectionCount() != 0) {
                throw new AssertionError(server.connectionCount() + " connections still counted after stop");
            }
        }
    }

    private static final class ClientTestee extends Testee {
        ServerSocket listener;
        WebSocketClient client;

        @Override
        void shutDown(Duration within) {
            client.close();
        }

        @Override
        public void close() throws IOException {
            try {
                if (peer != null) {
                    peer.close();
                }
                if (listener != null) {
                    listener.close();
                }
            } finally {
                client.close();
            }
        }
    }
}
