package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Our server and our client over loopback: every message type both ways, big messages, fragments (RFC 6455 §5.4–5.6, §5.5). */
class RoundTripTest extends LoopbackFixture {

    /** Echoes data messages back the same way they came. */
    static final WebSocketHandler ECHO = new WebSocketHandler() {
        @Override
        public void onText(WebSocket socket, String text) {
            socket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }
    };

    @Test
    void everyMessageTypeBothWays() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        WebSocket serverSocket = serverSide.opened.get(5, TimeUnit.SECONDS);
        assertTrue(client.isOpen());

        client.sendText("héllo ☃").get(5, TimeUnit.SECONDS);
        assertEquals("héllo ☃", serverSide.nextMessage());
        client.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255})).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, (byte[]) serverSide.nextMessage());
        client.sendPing(ByteBuffer.wrap(new byte[] {7})).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {7}, serverSide.pings.poll(5, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {7}, clientSide.pongs.poll(5, TimeUnit.SECONDS), "auto-pong (§5.5.2)");
        client.sendPong(ByteBuffer.wrap(new byte[] {9})).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {9}, serverSide.pongs.poll(5, TimeUnit.SECONDS));

        serverSocket.sendText("from server").get(5, TimeUnit.SECONDS);
        assertEquals("from server", clientSide.nextMessage());
        serverSocket.sendBinary(ByteBuffer.wrap(new byte[] {42})).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {42}, (byte[]) clientSide.nextMessage());
        serverSocket.sendPing(ByteBuffer.wrap(new byte[] {1, 2})).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2}, clientSide.pings.poll(5, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {1, 2}, serverSide.pongs.poll(5, TimeUnit.SECONDS));

        client.close(CloseStatus.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        Recorder.Closed c = clientSide.awaitClose();
        Recorder.Closed s = serverSide.awaitClose();
        assertEquals(CloseStatus.NORMAL_CLOSURE, c.status().code());
        assertTrue(c.clean());
        assertEquals(CloseStatus.NORMAL_CLOSURE, s.status().code());
        assertEquals("bye", s.status().reason());
        assertTrue(s.clean());
        assertFalse(client.isOpen());
        assertEquals(1, clientSide.closeCount.get());
        assertEquals(1, serverSide.closeCount.get());
    }

    @Test
    void sixteenMebibyteMessagesBothWays() throws Exception {
        WebSocketServer server = server(ECHO);
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        byte[] big = new byte[16 << 20];
        new Random(1).nextBytes(big);
        client.sendBinary(ByteBuffer.wrap(big)).get(20, TimeUnit.SECONDS);
        assertArrayEquals(big, (byte[]) clientSide.nextMessage());

        char[] chars = new char[16 << 20];
        java.util.Arrays.fill(chars, 'x');
        chars[12345] = 'y';
        String text = new String(chars);
        client.sendText(text).get(20, TimeUnit.SECONDS);
        assertEquals(text, clientSide.nextMessage());
        client.close().get(5, TimeUnit.SECONDS);
        assertTrue(clientSide.awaitClose().clean());
    }

    @Test
    void fragmentedStreamingBothWays() throws Exception {
        WebSocketConfig streaming = WebSocketConfig.builder().streaming(true).build();
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(b -> b.handler(serverSide).config(streaming));
        Recorder clientSide = new Recorder();
        WebSocket client = client().connect(uri(server), clientSide).get(10, TimeUnit.SECONDS);

        client.sendText("ab", false);
        client.sendText("cd", false);
        client.sendText("e", true).get(5, TimeUnit.SECONDS);
        StringBuilder got = new StringBuilder();
        boolean last = false;
        while (!last) {
            Object[] f = (Object[]) serverSide.fragments.poll(5, TimeUnit.SECONDS);
            got.append((String) f[0]);
            last = (Boolean) f[1];
        }
        assertEquals("abcde", got.toString());

        WebSocket serverSocket = serverSide.opened.get(5, TimeUnit.SECONDS);
        serverSocket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2}), false);
        serverSocket.sendBinary(ByteBuffer.wrap(new byte[] {3}), true).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) clientSide.nextMessage(), "client reassembles (§5.4)");
        client.close();
        serverSide.awaitClose();
    }

    @Test
    void handlerCallbacksRunOnOneLoopThreadPerConnection() throws Exception {
        Thread[] seen = new Thread[2];
        WebSocketServer server = server(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                seen[0] = Thread.currentThread();
            }

            @Override
            public void onText(WebSocket socket, String text) {
                seen[1] = Thread.currentThread();
                socket.sendText(text);
            }
        });
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        client.sendText("x");
        assertEquals("x", clientSide.nextMessage());
        assertEquals(seen[0], seen[1]);
        assertTrue(seen[0].getName().startsWith("duplex-"), seen[0].getName());
        assertEquals("x".getBytes(StandardCharsets.UTF_8).length, 1);
        client.close();
        clientSide.awaitClose();
    }
}
