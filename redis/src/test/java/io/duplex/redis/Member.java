package io.duplex.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.WebSocketClient;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client of a {@link Node}: records every message it receives. */
final class Member implements WebSocketHandler, AutoCloseable {

    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final WebSocket ws;

    Member(WebSocketClient client, Node node) throws Exception {
        ws = client.connect(URI.create(node.url()), this).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onText(WebSocket socket, String text) {
        received.add(text);
    }

    /** A binary message is recorded as {@code "binary HEX"}. */
    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        received.add("binary " + HexFormat.of().formatHex(b));
    }

    /** Joins {@code room} (resuming after {@code since}, or -1) and returns the latest number it was told. */
    long join(String room, long since) throws InterruptedException {
        ws.sendText("join " + since + " " + room);
        String joined = next();
        assertEquals("joined", joined.substring(0, joined.indexOf(' ')), joined);
        return Long.parseLong(joined.substring(7));
    }

    void leave(String room) {
        ws.sendText("leave " + room);
    }

    /** The next text; fails after 20 s. */
    String next() throws InterruptedException {
        String s = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(s, "no message within 20 s");
        return s;
    }

    /** The next room message, which must be number {@code seq} with {@code text}. */
    void expect(long seq, String text) throws InterruptedException {
        assertEquals(seq + " " + text, next());
    }

    void expectNothing(long millis) throws InterruptedException {
        assertNull(received.poll(millis, TimeUnit.MILLISECONDS), "expected no more messages");
    }

    @Override
    public void close() {
        ws.abort();
    }
}
