package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A server whose accepted connections a test can take, and clients that record what they receive. */
abstract class RoomsFixture extends LoopbackFixture {

    /** A connected pair: the server's side (to join to rooms) and the client's recorder. */
    record Peer(WebSocket server, WebSocket client, Recorder recorder) {
        String next() throws InterruptedException {
            return (String) recorder.nextMessage();
        }
    }

    final BlockingQueue<WebSocket> accepted = new LinkedBlockingQueue<>();
    WebSocketServer server;

    WebSocketServer start(WebSocketHandler extra) throws Exception {
        server = server(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket ws) {
                accepted.add(ws);
                extra.onOpen(ws);
            }

            @Override
            public void onText(WebSocket ws, String text) {
                extra.onText(ws, text);
            }
        });
        return server;
    }

    WebSocketServer start() throws Exception {
        return start(new WebSocketHandler() { });
    }

    Rooms rooms(Consumer<Rooms.Builder> options) {
        Rooms.Builder b = Rooms.builder(server);
        options.accept(b);
        return b.build();
    }

    Peer peer() throws Exception {
        Recorder r = new Recorder();
        WebSocket c = connect(server, r);
        WebSocket s = accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(s, "server side of the connection");
        return new Peer(s, c, r);
    }

    /** A client that completed the handshake and then reads only when the test says, with a small receive buffer. */
    RawClient slowPeer() throws Exception {
        RawClient raw = new RawClient(server.port(), 4096);
        raw.upgrade();
        return raw;
    }

    WebSocket takeAccepted() throws InterruptedException {
        WebSocket s = accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(s, "server side of the connection");
        return s;
    }
}
