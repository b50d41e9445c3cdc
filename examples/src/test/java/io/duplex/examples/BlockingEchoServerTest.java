package io.duplex.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.WebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The core-only example serves the JDK's own WebSocket client: the core embeds without the NIO transport. */
class BlockingEchoServerTest {

    private BlockingEchoServer server;

    @BeforeEach
    void start() throws Exception {
        server = new BlockingEchoServer(0);
        Thread t = new Thread(server::serve, "accept");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void echoesTextAndBinaryToTheJdkClientAndClosesCleanly() throws Exception {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        StringBuilder text = new StringBuilder();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        byte[] a = new byte[data.remaining()];
                        data.get(a);
                        received.add(a);
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        received.add("close:" + statusCode + ":" + reason);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        String hello = "héllo, wörld 𝄞";
        ws.sendText(hello, true).get(5, TimeUnit.SECONDS);
        assertEquals(hello, received.poll(5, TimeUnit.SECONDS));
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), true).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, (byte[]) received.poll(5, TimeUnit.SECONDS));
        ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertEquals("close:1000:bye", received.poll(5, TimeUnit.SECONDS));
    }
    /**
     * The embedding guide's recipe with permessage-deflate in the policy: the session starts from the
     * handshake's result, so it decodes the compressed frames the handshake agreed to (a session started
     * without the agreed extensions would fail the first one with 1002).
     */
    @Test
    void negotiatesPermessageDeflateAndEchoesCompressedMessages() throws Exception {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        WebSocketClient client = WebSocketClient.builder()
                .extensions(List.of(PerMessageDeflate.builder().threshold(0).build())).build();
        try {
            io.duplex.core.WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                    new WebSocketHandler() {
                        @Override
                        public void onText(io.duplex.core.WebSocket socket, String text) {
                            received.add(text);
                        }

                        @Override
                        public void onClose(io.duplex.core.WebSocket socket, CloseStatus status, boolean clean) {
                            received.add("close:" + status.code() + ":" + clean);
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertTrue(ws.extensions().startsWith("permessage-deflate"), "agreed: " + ws.extensions());
            String text = "compressible ".repeat(100);
            ws.sendText(text).get(5, TimeUnit.SECONDS);
            assertEquals(text, received.poll(5, TimeUnit.SECONDS));
            ws.close(CloseStatus.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            assertEquals("close:1000:true", received.poll(10, TimeUnit.SECONDS));
        } finally {
            client.close();
        }
    }
}
