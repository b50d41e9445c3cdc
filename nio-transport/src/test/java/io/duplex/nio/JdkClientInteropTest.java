package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Interoperability with an independent implementation: the JDK's java.net.http WebSocket client. */
class JdkClientInteropTest extends LoopbackFixture {

    /** Collects what the JDK client receives; whole messages only (it may deliver parts). */
    static final class JdkListener implements java.net.http.WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
            binary.writeBytes(Recorder.bytes(data));
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        Object next() throws InterruptedException {
            Object m = messages.poll(10, TimeUnit.SECONDS);
            assertTrue(m != null, "JDK client received nothing");
            return m;
        }
    }

    @Test
    void jdkClientAndOurServerExchangeEveryMessageTypeAndClose() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        JdkListener listener = new JdkListener();
        HttpClient http = HttpClient.newHttpClient();
        java.net.http.WebSocket jdk = http.newWebSocketBuilder().subprotocols("chat")
                .buildAsync(uri(server), listener).get(10, TimeUnit.SECONDS);
        WebSocket ours = serverSide.opened.get(5, TimeUnit.SECONDS);

        jdk.sendText("from jdk ✓", true).get(5, TimeUnit.SECONDS);
        assertEquals("from jdk ✓", serverSide.nextMessage());
        byte[] big = new byte[300_000];
        new java.util.Random(3).nextBytes(big);
        jdk.sendBinary(ByteBuffer.wrap(big), true).get(5, TimeUnit.SECONDS);
        assertArrayEquals(big, (byte[]) serverSide.nextMessage());
        jdk.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, serverSide.pings.poll(5, TimeUnit.SECONDS));

        ours.sendText("from duplex ✓").get(5, TimeUnit.SECONDS);
        assertEquals("from duplex ✓", listener.next());
        ours.sendBinary(ByteBuffer.wrap(big)).get(5, TimeUnit.SECONDS);
        assertArrayEquals(big, (byte[]) listener.next());
        ours.sendPing(ByteBuffer.wrap(new byte[] {9})).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {9}, serverSide.pongs.poll(5, TimeUnit.SECONDS), "the JDK answered our Ping");

        jdk.sendClose(CloseStatus.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        Recorder.Closed closed = serverSide.awaitClose();
        assertEquals(CloseStatus.NORMAL_CLOSURE, closed.status().code());
        assertEquals("done", closed.status().reason());
        assertEquals(CloseStatus.NORMAL_CLOSURE, listener.closed.get(5, TimeUnit.SECONDS));
    }

    @Test
    void serverStartedCloseReachesTheJdkClient() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        JdkListener listener = new JdkListener();
        java.net.http.WebSocket jdk = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri(server), listener).get(10, TimeUnit.SECONDS);
        serverSide.opened.get(5, TimeUnit.SECONDS).close(CloseStatus.GOING_AWAY, "bye");
        assertEquals(CloseStatus.GOING_AWAY, listener.closed.get(5, TimeUnit.SECONDS));
        jdk.sendClose(CloseStatus.NORMAL_CLOSURE, "");
        assertTrue(serverSide.awaitClose().clean());
    }
}
