package io.duplex.autobahn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.WebSocketClient;
import io.duplex.nio.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NIO echo testee seen from the JDK's own WebSocket client (an independent implementation): every
 * message comes back whole and unchanged, including a fragmented one and one of section 9's 16 MiB; and
 * from ours offering permessage-deflate (RFC 7692), which it accepts.
 */
class ServerCommandTest {

    private WebSocketServer server;
    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private WebSocket client;

    @BeforeEach
    void start() throws Exception {
        server = ServerCommand.start("127.0.0.1", 0, 1);
        client = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), new Collector())
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        client.abort();
        server.stop(java.time.Duration.ofSeconds(2));
    }

    @Test
    void echoesText() throws Exception {
        client.sendText("Hello, \u00e9\ud83d\ude00", true).get(5, TimeUnit.SECONDS);
        assertEquals("Hello, \u00e9\ud83d\ude00", next());
    }

    @Test
    void echoesAFragmentedTextAsOneMessage() throws Exception {
        client.sendText("frag", false).get(5, TimeUnit.SECONDS);
        client.sendText("ment", false).get(5, TimeUnit.SECONDS);
        client.sendText("ed", true).get(5, TimeUnit.SECONDS);
        assertEquals("fragmented", next());
    }

    @Test
    void echoesSixteenMebibytesOfBinary() throws Exception {
        byte[] data = new byte[16 << 20];
        new Random(6455).nextBytes(data);
        client.sendBinary(ByteBuffer.wrap(data), true).get(30, TimeUnit.SECONDS);
        assertArrayEquals(data, (byte[]) next());
    }

    @Test
    void acceptsPermessageDeflateAndEchoesThroughIt() throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        try (WebSocketClient deflating = WebSocketClient.builder().loops(1)
                .extensions(List.of(PerMessageDeflate.defaults())).build()) {
            io.duplex.core.WebSocket ws = deflating.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    new WebSocketHandler() {
                        @Override
                        public void onText(io.duplex.core.WebSocket socket, String text) {
                            echoed.complete(text);
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertTrue(ws.extensions().startsWith("permessage-deflate"), ws.extensions());
            String text = "compressible ".repeat(1000);
            ws.sendText(text);
            assertEquals(text, echoed.get(10, TimeUnit.SECONDS));
        }
    }

    private Object next() throws InterruptedException {
        Object m = received.poll(30, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no echo within 30 s");
        }
        return m;
    }

    /** Gathers the parts the JDK client delivers into whole messages. */
    private final class Collector implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                received.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
