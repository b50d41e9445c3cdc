package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many connections, broadcast, and graceful stop (§7.4.1: 1001 going away). */
class ServerLifecycleTest extends LoopbackFixture {

    @Test
    void thousandConcurrentConnectionsEachEcho() throws Exception {
        int n = 1000;
        // A thousand handshakes at once from one address: the per-address cap and the short deadline under
        // load are for floods of idle sockets, not for this.
        WebSocketServer server = server(b -> b.handler(RoundTripTest.ECHO).maxPendingHandshakesPerAddress(n)
                .handshakeTimeoutUnderLoad(java.time.Duration.ofSeconds(10)));
        WebSocketClient client = client();
        List<Recorder> recorders = new ArrayList<>();
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Recorder r = new Recorder();
            recorders.add(r);
            opening.add(client.connect(uri(server), r));
        }
        CompletableFuture.allOf(opening.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        assertEquals(n, server.connectionCount());
        for (int i = 0; i < n; i++) {
            opening.get(i).get().sendText("m" + i);
        }
        for (int i = 0; i < n; i++) {
            assertEquals("m" + i, recorders.get(i).nextMessage());
        }
        for (CompletableFuture<WebSocket> f : opening) {
            f.get().close();
        }
        for (Recorder r : recorders) {
            assertTrue(r.awaitClose().clean());
        }
        eventually(() -> server.connectionCount() == 0, "all released");
    }

    @Test
    void broadcastReachesEveryOpenConnection() throws Exception {
        WebSocketServer server = server(new Recorder());
        List<Recorder> clients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Recorder r = new Recorder();
            clients.add(r);
            connect(server, r);
        }
        eventually(() -> server.connectionCount() == 10, "all registered");
        byte[] payload = new byte[70_000]; // a 64-bit length header (§5.2)
        payload[69_999] = 5;
        assertEquals(10, server.broadcast(PreparedMessage.binary(ByteBuffer.wrap(payload))).get(5, TimeUnit.SECONDS));
        assertEquals(10, server.broadcast(PreparedMessage.text("hi all")).get(5, TimeUnit.SECONDS));
        for (Recorder r : clients) {
            assertArrayEquals(payload, (byte[]) r.nextMessage());
            assertEquals("hi all", r.nextMessage());
        }
    }

    @Test
    void broadcastWaitsForAMessageBeingSentInParts() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        Recorder clientSide = new Recorder();
        connect(server, clientSide);
        WebSocket ws = serverSide.opened.get(5, TimeUnit.SECONDS);
        // One loop runs these in order: the broadcast lands between the two parts (§5.4 forbids interleaving).
        ws.sendText("part1-", false);
        CompletableFuture<Integer> sent = server.broadcast(PreparedMessage.text("news"));
        ws.sendText("part2", true);
        assertEquals(1, sent.get(5, TimeUnit.SECONDS));
        assertEquals("part1-part2", clientSide.nextMessage());
        assertEquals("news", clientSide.nextMessage());
    }

    @Test
    void startFailsWhenThePortIsTaken() throws Exception {
        WebSocketServer first = server(new Recorder());
        WebSocketServer second = WebSocketServer.builder().host("127.0.0.1").port(first.port()).loops(group)
                .handler(new Recorder()).build();
        assertThrows(java.io.IOException.class, second::start);
        assertTrue(first.port() > 0);
    }

    @Test
    void gracefulStopClosesEveryConnectionWith1001() throws Exception {
        EventLoopGroup own = EventLoopGroup.create(1, 10);
        try {
            WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(own)
                    .handler(new Recorder()).build().start();
            List<Recorder> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Recorder r = new Recorder();
                clients.add(r);
                connect(server, r);
            }
            int port = server.port();
            server.stop(Duration.ofSeconds(5));
            assertEquals(0, server.connectionCount());
            for (Recorder r : clients) {
                Recorder.Closed c = r.awaitClose();
                assertEquals(CloseStatus.GOING_AWAY, c.status().code());
                assertTrue(c.clean(), "close handshake completed before the deadline");
            }
            assertThrows(ConnectException.class, () -> new RawClient(port).close());
            assertEquals(0, own.outstandingBuffers());
        } finally {
            own.close();
        }
    }
}
