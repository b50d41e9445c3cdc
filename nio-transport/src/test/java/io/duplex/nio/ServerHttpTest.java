package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.HandshakeException;
import io.duplex.core.UpgradeDecision;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's HTTP side: plain requests, routes, the decider, capacity limits, subprotocols (RFC 6455 §4.2.2). */
class ServerHttpTest extends LoopbackFixture {

    private static String exchange(int port, String request) throws Exception {
        try (RawClient raw = new RawClient(port)) {
            raw.send(request);
            return new String(raw.readToEnd(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void plainRequestGets426ByDefault() throws Exception {
        WebSocketServer server = server(new Recorder());
        String response = exchange(server.port(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 426"), response);
    }

    @Test
    void httpHandlerServesPlainRequests() throws Exception {
        WebSocketServer server = server(b -> b.handler(new Recorder())
                .httpHandler(req -> HttpResponse.html("<p>" + req.path() + "</p>")));
        String response = exchange(server.port(), "GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.contains("text/html"), response);
        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n<p>/index.html</p>"), response);
    }

    @Test
    void httpHandlerFailureBecomes500() throws Exception {
        WebSocketServer server = server(b -> b.handler(new Recorder()).httpHandler(req -> {
            throw new IllegalStateException("boom");
        }));
        String response = exchange(server.port(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 500"), response);
    }

    @Test
    void routesPickTheHandlerAndUnknownPathsGet404() throws Exception {
        Recorder chat = new Recorder();
        Recorder feed = new Recorder();
        WebSocketServer server = server(b -> b.route("/chat", chat).route("/feed", feed));
        WebSocket ws = client().connect(uri(server, "/feed?x=1"), new Recorder()).get(10, TimeUnit.SECONDS);
        WebSocket serverSide = feed.opened.get(5, TimeUnit.SECONDS);
        assertEquals("/feed", serverSide.handshakeRequest().path());
        assertEquals("x=1", serverSide.handshakeRequest().query());
        assertFalse(chat.opened.isDone());
        ws.close();
        feed.awaitClose();

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client().connect(uri(server, "/nope"), new Recorder()).get(10, TimeUnit.SECONDS));
        HandshakeException he = assertInstanceOf(HandshakeException.class, e.getCause());
        assertEquals(404, he.status());
    }

    @Test
    void deciderRejectsWithItsStatus() throws Exception {
        Recorder handler = new Recorder();
        WebSocketServer server = server(b -> b.decider(req -> "secret".equals(req.headers().first("X-Token"))
                ? UpgradeDecision.accept(handler) : UpgradeDecision.reject(403, null, "forbidden")));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client().connect(uri(server), new Recorder()).get(10, TimeUnit.SECONDS));
        assertEquals(403, assertInstanceOf(HandshakeException.class, e.getCause()).status());

        ConnectOptions withToken = ConnectOptions.builder()
                .headers(io.duplex.core.HttpHeaders.builder().add("X-Token", "secret").build()).build();
        WebSocket ws = client().connect(uri(server), new Recorder(), withToken).get(10, TimeUnit.SECONDS);
        handler.opened.get(5, TimeUnit.SECONDS);
        ws.close();
        handler.awaitClose();
    }

    @Test
    void overMaxConnectionsGets503() throws Exception {
        Recorder handler = new Recorder();
        WebSocketServer server = server(b -> b.handler(handler).maxConnections(1));
        Recorder first = new Recorder();
        WebSocket ws = client().connect(uri(server), first).get(10, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client().connect(uri(server), new Recorder()).get(10, TimeUnit.SECONDS));
        assertEquals(503, assertInstanceOf(HandshakeException.class, e.getCause()).status());
        assertEquals(1, server.connectionCount());
        ws.close();
        handler.awaitClose();
        eventually(() -> server.connectionCount() == 0, "slot freed");
        WebSocket again = client().connect(uri(server), new Recorder()).get(10, TimeUnit.SECONDS);
        again.close();
    }

    @Test
    void subprotocolIsNegotiated() throws Exception {
        Recorder handler = new Recorder();
        WebSocketServer server = server(b -> b.handler(handler).subprotocols(List.of("v2", "v1")));
        ConnectOptions options = ConnectOptions.builder().subprotocols(List.of("v1", "v3")).build();
        WebSocket ws = client().connect(uri(server), new Recorder(), options).get(10, TimeUnit.SECONDS);
        assertEquals("v1", ws.subprotocol());
        assertEquals("v1", handler.opened.get(5, TimeUnit.SECONDS).subprotocol());
        ws.close();
        handler.awaitClose();
    }

    @Test
    void serverPicksSubprotocolsByItsOwnPreference() throws Exception {
        WebSocketServer server = server(b -> b.handler(new Recorder()).subprotocols(List.of("v2", "v1")));
        ConnectOptions options = ConnectOptions.builder().subprotocols(List.of("v1", "v2")).build();
        WebSocket ws = client().connect(uri(server), new Recorder(), options).get(10, TimeUnit.SECONDS);
        assertEquals("v2", ws.subprotocol());
        ws.close();
    }

    @Test
    void clientReportsConnectFailures() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> client()
                .connect(java.net.URI.create("ws://127.0.0.1:1/"), new WebSocketHandler() { })
                .get(10, TimeUnit.SECONDS));
        assertInstanceOf(java.io.IOException.class, e.getCause());
    }
    @Test
    void exactlyOneWayToChooseHandlersIsAccepted() {
        WebSocketHandler h = new Recorder();
        IllegalStateException both = assertThrows(IllegalStateException.class,
                () -> WebSocketServer.builder().handler(h).decider(req -> UpgradeDecision.accept(h)).build());
        assertTrue(both.getMessage().contains("handler") && both.getMessage().contains("decider"), both.getMessage());
        assertThrows(IllegalStateException.class, () -> WebSocketServer.builder().handler(h).route("/a", h).build());
        assertThrows(IllegalStateException.class, () -> WebSocketServer.builder().build());
        assertThrows(IllegalArgumentException.class, () -> WebSocketServer.builder().route("/a", h).route("/a", h));
    }
}
