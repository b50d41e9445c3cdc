package io.duplex.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.WebSocketClient;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A chat client for tests: sends requests as JSON and hands out what the server sent, one object at a time. */
final class ChatClient implements WebSocketHandler, AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    final WebSocket ws;

    ChatClient(WebSocketClient client, String url) throws Exception {
        ws = client.connect(URI.create(url), this).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onText(WebSocket socket, String text) {
        try {
            received.add(JSON.readTree(text));
        } catch (Exception e) {
            received.add(JSON.createObjectNode().put("op", "unparseable").put("text", text));
        }
    }

    @Override
    public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
        closed.complete(status);
    }

    /** Sends a request made of key/value pairs; values are strings or numbers. */
    void send(Object... keyValues) {
        var o = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            if (v instanceof Number n) {
                o.put((String) keyValues[i], n.longValue());
            } else {
                o.put((String) keyValues[i], (String) v);
            }
        }
        ws.sendText(o.toString());
    }

    void join(String room, String nick) {
        send("op", "join", "room", room, "nick", nick);
    }

    void say(String room, String text) {
        send("op", "say", "room", room, "text", text);
    }

    /** The next message; fails after 20 s. */
    JsonNode next() throws InterruptedException {
        JsonNode n = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(n, "no message within 20 s");
        return n;
    }

    /** The next message, which must have this op. */
    JsonNode next(String op) throws InterruptedException {
        JsonNode n = next();
        assertEquals(op, n.path("op").asText(), "expected " + op + ", got " + n);
        return n;
    }

    /** Nothing arrives within {@code millis}. */
    void expectNothing(long millis) throws InterruptedException {
        assertNull(received.poll(millis, TimeUnit.MILLISECONDS), "expected no more messages");
    }

    @Override
    public void close() {
        ws.abort();
    }
}
