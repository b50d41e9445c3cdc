package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The counts of {@link TransportMetrics} and the calls of a {@link MetricsListener}, with real loopback traffic. */
class TransportMetricsTest extends LoopbackFixture {

    private static final WebSocketHandler ECHO = new WebSocketHandler() {
        @Override
        public void onText(WebSocket ws, String text) {
            ws.sendText(text);
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            ws.sendBinary(data);
        }
    };

    @Test
    void messagesBytesOpenConnectionsAndClosesByCodeFollowTheTraffic() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        WebSocketServer server = server(ECHO);
        TransportMetrics m = server.metrics();
        m.listener(new MetricsListener() {
            @Override
            public void handshakeAccepted() {
                heard.add("accepted");
            }

            @Override
            public void closed(int code, boolean clean) {
                heard.add("closed " + code + " " + clean);
            }
        });
        CountDownLatch echoes = new CountDownLatch(3);
        WebSocketHandler counting = new WebSocketHandler() {
            @Override
            public void onText(WebSocket ws, String text) {
                echoes.countDown();
            }

            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                echoes.countDown();
            }
        };
        WebSocketClient client = client();
        WebSocket a = client.connect(uri(server), counting).get(10, TimeUnit.SECONDS);
        WebSocket b = client.connect(uri(server), counting).get(10, TimeUnit.SECONDS);
        eventually(() -> m.openConnections() == 2, "two open connections");
        a.sendText("hello");                                    // 5 payload bytes
        a.sendBinary(ByteBuffer.wrap(new byte[300]));           // 300, with a 16-bit length
        b.sendText("part one, ", false);
        b.sendText("part two", true);                           // one message of 18 bytes in two frames
        assertTrue(echoes.await(10, TimeUnit.SECONDS));
        eventually(() -> m.messagesOut() == 3, "three echoes counted");
        assertEquals(3, m.messagesIn(), "a message in parts counts once");
        // Client frames: 2 + 4 mask + payload, 4 + 4 + 300 for the 16-bit length; the parts are two frames.
        long in = (2 + 4 + 5) + (4 + 4 + 300) + (2 + 4 + 10) + (2 + 4 + 8);
        assertEquals(in, m.bytesIn());
        // The echoes are whole unmasked messages: the parts come back as one frame of 18.
        assertEquals((2 + 5) + (4 + 300) + (2 + 18), m.bytesOut());
        assertEquals(2, m.handshakesAccepted());
        assertEquals(2, client.metrics().handshakesAccepted());
        assertEquals(3, client.metrics().messagesOut());
        assertEquals(m.bytesOut(), client.metrics().bytesIn(), "what the server sent, the client got");

        a.close(CloseStatus.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        b.close(4001, "app").get(10, TimeUnit.SECONDS);
        eventually(() -> m.openConnections() == 0, "no open connection");
        eventually(() -> m.closes(4001) == 1, "the 4001 close counted");
        assertEquals(Map.of(1000, 1L, 4001, 1L), m.closesByCode());
        assertTrue(heard.containsAll(List.of("accepted", "closed 1000 true", "closed 4001 true")), heard.toString());
        assertEquals(4, heard.size(), heard.toString());
    }

    @Test
    void aHandshakeThatNeverCompletesIsAFailureAndARefusedOneARejection() throws Exception {
        WebSocketServer server = server(b -> b.handler(ECHO).handshakeTimeout(java.time.Duration.ofMillis(100)));
        try (RawClient silent = new RawClient(server.port())) {
            silent.send("GET / HTTP/1.1\r\n"); // and no more
            eventually(() -> server.metrics().handshakesFailed() == 1, "the timed-out handshake counted");
        }
        try (RawClient wrongVersion = new RawClient(server.port())) {
            wrongVersion.send(RawClient.UPGRADE.replace("Version: 13", "Version: 8"));
            assertTrue(wrongVersion.readResponseHead().startsWith("HTTP/1.1 426"));
        }
        eventually(() -> server.metrics().handshakesRejected() == 1, "the refused handshake counted");
        assertEquals(1, server.metrics().handshakesFailed());
        assertEquals(0, server.metrics().handshakesAccepted());
    }

    @Test
    void aListenerThatThrowsDoesNotHurtTheConnection() throws Exception {
        WebSocketServer server = server(ECHO);
        server.metrics().listener(new MetricsListener() {
            @Override
            public void handshakeAccepted() {
                throw new IllegalStateException("listener bug");
            }
        });
        CompletableFuture<String> echo = new CompletableFuture<>();
        WebSocket ws = connect(server, new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                echo.complete(text);
            }
        });
        ws.sendText("still fine");
        assertEquals("still fine", echo.get(10, TimeUnit.SECONDS));
        ws.close(CloseStatus.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void queueDepthAndLagShowALoopThatIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        EventLoopGroup g = EventLoopGroup.create(1);
        try {
            g.slowHandlerThreshold(java.time.Duration.ZERO); // this test blocks on purpose: no warning
            var loop = g.loop(0);
            loop.execute(() -> {
                blocking.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(blocking.await(10, TimeUnit.SECONDS));
            g.lagNanos(0); // a probe queued behind the blocked task
            for (int i = 0; i < 5; i++) {
                loop.execute(() -> { });
            }
            assertEquals(6, g.queueDepth(0), "the running task and five behind it (the lag probe is not counted)");
            Thread.sleep(50);
            release.countDown();
            eventually(() -> g.queueDepth(0) == 0, "the queue to drain");
            eventually(() -> g.lagNanos(0) >= TimeUnit.MILLISECONDS.toNanos(50), "the probe to report the stall");
        } finally {
            release.countDown();
            g.close();
        }
    }
}
