package io.duplex.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.WebSocketClient;
import io.duplex.nio.WebSocketServer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters of {@link DuplexMetrics} move with real loopback traffic through a server and a client. */
class DuplexMetricsTest {

    private final EventLoopGroup group = EventLoopGroup.create(2);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private WebSocketServer server;
    private WebSocketClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        group.close();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).tag("role", "server").functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).tag("role", "server").gauge().value();
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void metersFollowRealTraffic() throws Exception {
        server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(group).handler(new WebSocketHandler() {
            @Override
            public void onText(WebSocket ws, String text) {
                ws.sendText(text);
            }
        }).build().start();
        new DuplexMetrics(server, Tags.of("endpoint", "test")).bindTo(registry);
        client = WebSocketClient.builder().loops(group).build();
        new DuplexMetrics(client, Tags.of("endpoint", "test")).bindTo(registry);

        assertEquals(0, gauge("duplex.connections.open"));
        assertEquals(0, counter("duplex.messages", "direction", "in"));
        CountDownLatch echoes = new CountDownLatch(10);
        WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                echoes.countDown();
            }
        }).get(10, TimeUnit.SECONDS);
        eventually(() -> gauge("duplex.connections.open") == 1, "one open connection");
        for (int i = 0; i < 10; i++) {
            ws.sendText("message " + i); // 9 bytes each
        }
        assertTrue(echoes.await(10, TimeUnit.SECONDS));
        eventually(() -> counter("duplex.messages", "direction", "out") == 10, "ten echoes counted");
        assertEquals(10, counter("duplex.messages", "direction", "in"));
        assertEquals(10 * (2 + 4 + 9), counter("duplex.bytes", "direction", "in"), "masked client frames");
        assertEquals(10 * (2 + 9), counter("duplex.bytes", "direction", "out"));
        assertEquals(1, counter("duplex.handshakes", "outcome", "accepted"));
        assertEquals(10, registry.get("duplex.messages").tags("role", "client", "direction", "out").functionCounter()
                .count(), "the client's own meters");

        ws.close(4000, "done").get(10, TimeUnit.SECONDS);
        eventually(() -> gauge("duplex.connections.open") == 0, "the connection closed");
        eventually(() -> registry.find("duplex.closes").tags("code", "4000", "role", "server").functionCounter() != null,
                "a meter for close code 4000");
        assertEquals(1, counter("duplex.closes", "code", "4000"));
        assertEquals(0, counter("duplex.closes.forced", "reason", "overflow"));

        String loop = group.loopName(0);
        assertEquals(0, registry.get("duplex.loop.queue.depth").tags("loop", loop, "role", "server").gauge().value());
        registry.get("duplex.loop.lag").tags("loop", loop, "role", "server").timeGauge(); // present
        // Present, with no claim about its value: on a loaded machine even the first send's warm-up may pass 100 ms.
        registry.get("duplex.loop.slow.handlers").tag("role", "server").functionCounter();
    }

    @Test
    void aCodeSeenBeforeBindingHasItsMeterAtOnce() throws Exception {
        server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(group).handler(new WebSocketHandler() { })
                .build().start();
        client = WebSocketClient.builder().loops(group).build();
        WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), new WebSocketHandler() { })
                .get(10, TimeUnit.SECONDS);
        ws.close(CloseStatus.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        eventually(() -> server.metrics().closes(1000) == 1, "the close counted");
        new DuplexMetrics(server, Tags.empty()).bindTo(registry);
        assertEquals(1, counter("duplex.closes", "code", "1000"));
    }

    @Test
    void idleReleasesOfDeflateCodecsAreCounted() throws Exception {
        PerMessageDeflate deflate = PerMessageDeflate.builder().threshold(0).idleRelease(Duration.ofMillis(100))
                .build();
        CountDownLatch echoed = new CountDownLatch(1);
        server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(group).extensions(List.of(deflate))
                .handler(new WebSocketHandler() {
                    @Override
                    public void onText(WebSocket ws, String text) {
                        ws.sendText(text);
                    }
                }).build().start();
        new DuplexMetrics(server, Tags.empty()).bindTo(registry);
        assertEquals(0, counter("duplex.idle.releases"));
        client = WebSocketClient.builder().loops(group).extensions(List.of(deflate)).build();
        WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), new WebSocketHandler() {
            @Override
            public void onText(WebSocket ws, String text) {
                echoed.countDown();
            }
        }).get(10, TimeUnit.SECONDS);
        assertTrue(ws.extensions().startsWith("permessage-deflate"), ws.extensions());
        ws.sendText("compressed both ways, then idle");
        assertTrue(echoed.await(10, TimeUnit.SECONDS));
        eventually(() -> server.metrics().idleReleases() >= 1, "the server's codecs released while idle");
        assertEquals(server.metrics().idleReleases(), counter("duplex.idle.releases"));
    }
}
