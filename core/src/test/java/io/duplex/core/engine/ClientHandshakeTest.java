package io.duplex.core.engine;

import static io.duplex.core.engine.HandshakeBytes.bytes;
import static io.duplex.core.engine.HandshakeBytes.heap;
import static io.duplex.core.engine.HandshakeBytes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.ExtensionFactory;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakePolicy;
import io.duplex.core.HttpHeaders;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.ClientHandshake.State;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6455 §4.1: the client's request (items 1–12) and its checks of the server's response (items 1–6). */
class ClientHandshakeTest {

    static final WebSocketHandler HANDLER = new WebSocketHandler() { };

    static ClientHandshake client(String uri) {
        return new ClientHandshake(URI.create(uri), List.of(), null, null, List.of(), WebSocketConfig.defaults());
    }

    static ClientHandshake client(List<String> protocols, List<ExtensionFactory> extensions) {
        return new ClientHandshake(URI.create("ws://example.com/chat"), protocols, null, null, extensions,
                WebSocketConfig.defaults());
    }

    /** The accept value computed independently of the code under test, from RFC 6455 §4.2.2 item 5.4. */
    static String expectedAccept(ClientHandshake c) throws Exception {
        String key = c.requestHead().headers().first("Sec-WebSocket-Key");
        byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest(bytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
        return Base64.getEncoder().encodeToString(digest);
    }

    static String ok(ClientHandshake c, String... extra) throws Exception {
        StringBuilder sb = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + expectedAccept(c) + "\r\n");
        for (String l : extra) {
            sb.append(l).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    static ClientHandshake answered(ClientHandshake c, String response) {
        c.receive(heap(response));
        return c;
    }

    static void assertFails(int status, ClientHandshake c, String response) {
        assertEquals(State.FAILED, c.receive(heap(response)), response);
        assertEquals(status, c.failure().status(), response);
    }

    @Test
    void requestFollowsSection41() {
        ClientHandshake c = new ClientHandshake(URI.create("ws://example.com:8080/chat/x%20y?a=1&b=%2F"),
                List.of("v2.chat", "chat"), HttpHeaders.builder().add("Cookie", "id=1").build(),
                "https://example.com", List.of(FakeExtensionFactory.standard()), WebSocketConfig.defaults());
        String r = text(c.request());
        String key = c.requestHead().headers().first("Sec-WebSocket-Key");
        assertEquals("GET /chat/x%20y?a=1&b=%2F HTTP/1.1\r\nHost: example.com:8080\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: https://example.com\r\nSec-WebSocket-Protocol: v2.chat, chat\r\n"
                + "Sec-WebSocket-Extensions: x-fake; level=7, x-fake; level=3, x-fake\r\nCookie: id=1\r\n\r\n", r);
        assertEquals(16, Base64.getDecoder().decode(key).length);
        assertNotEquals(key, client("ws://example.com/").requestHead().headers().first("Sec-WebSocket-Key"));
    }

    @ParameterizedTest
    @CsvSource({
        "ws://example.com, example.com, /",
        "ws://example.com:80/, example.com, /",
        "wss://example.com:443/p, example.com, /p",
        "wss://example.com:80/p, example.com:80, /p",
        "ws://example.com:443?q, example.com:443, /?q",
        "WS://[::1]:9000/x, [::1]:9000, /x",
        "wss://[2001:db8::1]/, [2001:db8::1], /",
    })
    void hostAndTarget(String uri, String host, String target) {
        ClientHandshake c = client(uri);
        assertEquals(host, c.requestHead().host());
        assertEquals(target, c.requestHead().target());
    }

    @Test
    void refusesBadUrisAndReservedHeaders() {
        for (String u : List.of("http://example.com/", "https://example.com/", "ws:opaque", "ws:///nohost",
                "ws://example.com/#frag")) {
            assertThrows(IllegalArgumentException.class, () -> client(u), u);
        }
        for (String name : List.of("Upgrade", "connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
                "Sec-WebSocket-Accept", "Host")) {
            HttpHeaders h = HttpHeaders.builder().add(name, "x").build();
            assertThrows(IllegalArgumentException.class, () -> new ClientHandshake(URI.create("ws://a/"), List.of(),
                    h, null, List.of(), WebSocketConfig.defaults()), name);
        }
        assertThrows(IllegalArgumentException.class, () -> client(List.of("a b"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> client(List.of("a", "a"), List.of()));
    }

    @Test
    void endToEndWithSubprotocolAndExtension() throws Exception {
        ClientHandshake c = client(List.of("v2.chat", "chat"), List.of(FakeExtensionFactory.standard()));
        HandshakePolicy policy = HandshakePolicy.builder().handler(HANDLER).subprotocols(List.of("v2.chat", "chat"))
                .extensions(List.of(FakeExtensionFactory.standard())).build();
        ServerHandshake s = new ServerHandshake(WebSocketConfig.defaults(), policy);
        ByteBuffer toServer = c.request();
        assertEquals(ServerHandshake.State.ACCEPTED, s.receive(toServer));
        assertSame(HANDLER, s.handler());
        assertEquals("v2.chat", s.subprotocol());
        assertEquals("x-fake; level=3", s.extensionsHeader());

        byte[] response = bytes(text(s.response()));
        byte[] frame = {(byte) 0x81, 0x02, 'h', 'i'};
        ByteBuffer toClient = ByteBuffer.allocate(response.length + frame.length).put(response).put(frame).flip();
        assertEquals(State.OPENED, c.receive(toClient));
        assertEquals(response.length, toClient.position());
        assertEquals(101, c.status());
        assertEquals("v2.chat", c.subprotocol());
        assertEquals("x-fake; level=3", c.extensionsHeader());
        assertEquals(1, c.extensions().size());
        assertEquals(4, c.extensions().get(0).rsvBits());
        assertEquals(Map.of("level", "3"), c.extensions().get(0).negotiated().parameters());
    }

    @Test
    void responseSplitAtEveryOffsetAndByteByByte() throws Exception {
        ClientHandshake probe = client(List.of(), List.of());
        byte[] all = bytes(ok(probe) + "\u0089\u0000");
        int head = all.length - 2;
        for (int cut = 0; cut <= all.length; cut++) {
            ClientHandshake c = new ClientHandshake(URI.create("ws://example.com/chat"), List.of(), null, null,
                    List.of(), WebSocketConfig.defaults());
            String response = ok(c) + "\u0089\u0000";
            byte[] b = bytes(response);
            ByteBuffer first = ByteBuffer.wrap(b, 0, Math.min(cut, b.length));
            State st = c.receive(first);
            if (st == State.NEED_MORE) {
                ByteBuffer rest = ByteBuffer.wrap(b, first.position(), b.length - first.position());
                st = c.receive(rest);
                assertEquals(head, rest.position(), "cut " + cut);
            } else {
                assertEquals(head, first.position());
            }
            assertEquals(State.OPENED, st, "cut " + cut);
        }
        ClientHandshake c = client(List.of(), List.of());
        ByteBuffer in = HandshakeBytes.direct(bytes(ok(c) + "XY"));
        State st = State.NEED_MORE;
        for (int i = 1; st == State.NEED_MORE; i++) {
            ByteBuffer one = in.duplicate().limit(i);
            st = c.receive(one);
            in.position(one.position());
        }
        assertEquals(State.OPENED, st);
        assertEquals(2, in.remaining());
    }

    @Test
    void statusOtherThan101FailsWithThatStatus() {
        ClientHandshake c = client("ws://a/");
        assertFails(401, c, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n");
        assertEquals(401, c.status());
        assertEquals("Basic", c.responseHeaders().first("WWW-Authenticate"));
        assertFails(200, client("ws://a/"), "HTTP/1.1 200 OK\r\n\r\n");
    }

    @Test
    void malformedResponsesFailWithStatus0() {
        for (String r : List.of("HTTP/1.0 101 Switching Protocols\r\n\r\n", "HTTP/1.1 1O1 x\r\n\r\n",
                "HTTP/1.1 101x\r\n\r\n", "garbage\r\n\r\n", "HTTP/1.1 101 ok\r\nBad Header: x\r\n\r\n",
                "HTTP/1.1 101 ok\nUpgrade: websocket\r\n\r\n", "HTTP/1.1 099 x\r\n\r\n")) {
            assertFails(0, client("ws://a/"), r);
        }
    }

    @Test
    void responseWithoutReasonPhraseIsAccepted() throws Exception {
        ClientHandshake c = client("ws://a/");
        assertEquals(State.OPENED, c.receive(heap(ok(c).replace("101 Switching Protocols", "101"))));
    }

    @Test
    void upgradeConnectionAndAcceptAreChecked() throws Exception {
        ClientHandshake c1 = client("ws://a/");
        assertFails(0, c1, ok(c1).replace("Upgrade: websocket\r\n", ""));
        ClientHandshake c2 = client("ws://a/");
        assertFails(0, c2, ok(c2).replace("Upgrade: websocket", "Upgrade: h2c"));
        ClientHandshake c3 = client("ws://a/");
        assertFails(0, c3, ok(c3).replace("Connection: Upgrade", "Connection: close"));
        ClientHandshake c4 = client("ws://a/");
        assertFails(0, c4, ok(c4).replace("Sec-WebSocket-Accept: ", "Sec-WebSocket-Accept: x"));
        ClientHandshake c5 = client("ws://a/");
        String accept = expectedAccept(c5);
        assertFails(0, c5, ok(c5).replace(accept, accept.toLowerCase(java.util.Locale.ROOT)));
        ClientHandshake c6 = client("ws://a/");
        assertFails(0, c6, ok(c6, "Sec-WebSocket-Accept: " + expectedAccept(c6)));
        ClientHandshake c7 = client("ws://a/");
        assertEquals(State.OPENED, c7.receive(heap(ok(c7).replace("Upgrade: websocket", "upgrade: WebSocket")
                .replace("Connection: Upgrade", "Connection: keep-alive, upgrade"))));
    }

    @Test
    void subprotocolMustBeOneOffered() throws Exception {
        ClientHandshake none = client(List.of(), List.of());
        assertFails(0, none, ok(none, "Sec-WebSocket-Protocol: chat"));
        ClientHandshake other = client(List.of("chat"), List.of());
        assertFails(0, other, ok(other, "Sec-WebSocket-Protocol: superchat"));
        ClientHandshake two = client(List.of("chat", "v2"), List.of());
        assertFails(0, two, ok(two, "Sec-WebSocket-Protocol: chat, v2"));
        ClientHandshake twice = client(List.of("chat"), List.of());
        assertFails(0, twice, ok(twice, "Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: chat"));
        ClientHandshake absent = client(List.of("chat"), List.of());
        assertEquals(State.OPENED, absent.receive(heap(ok(absent))));
        assertEquals("", absent.subprotocol());
    }

    @Test
    void extensionsMustBeOfferedOnceAndAccepted() throws Exception {
        List<ExtensionFactory> fake = List.of(FakeExtensionFactory.standard());
        ClientHandshake notOffered = client(List.of(), fake);
        assertFails(0, notOffered, ok(notOffered, "Sec-WebSocket-Extensions: x-other"));
        ClientHandshake twice = client(List.of(), fake);
        assertFails(0, twice, ok(twice, "Sec-WebSocket-Extensions: x-fake, x-fake"));
        ClientHandshake refused = client(List.of(), fake);
        assertFails(0, refused, ok(refused, "Sec-WebSocket-Extensions: x-fake; level=12"));
        ClientHandshake malformed = client(List.of(), fake);
        assertFails(0, malformed, ok(malformed, "Sec-WebSocket-Extensions: x-fake;"));
        ClientHandshake noneOffered = client(List.of(), List.of());
        assertFails(0, noneOffered, ok(noneOffered, "Sec-WebSocket-Extensions: x-fake"));
        List<ExtensionFactory> clash = List.of(FakeExtensionFactory.standard(),
                new FakeExtensionFactory("x-clash", 4, 9, List.of(ExtensionOffer.of("x-clash"))));
        ClientHandshake rsv = client(List.of(), clash);
        assertFails(0, rsv, ok(rsv, "Sec-WebSocket-Extensions: x-fake, x-clash"));
        ClientHandshake fine = client(List.of(), fake);
        assertEquals(State.OPENED, fine.receive(heap(ok(fine, "Sec-WebSocket-Extensions: x-fake; level=\"2\""))));
        assertEquals("x-fake; level=2", fine.extensionsHeader());
    }

    @Test
    void oversizeResponseHeaderBlockFails() throws Exception {
        WebSocketConfig config = WebSocketConfig.builder().maxHeaderBytes(256).build();
        ClientHandshake c = new ClientHandshake(URI.create("ws://a/"), List.of(), null, null, List.of(), config);
        String big = ok(c, "X-Pad: " + "p".repeat(200));
        assertTrue(bytes(big).length > 256);
        assertFails(0, c, big);
        ClientHandshake exact = new ClientHandshake(URI.create("ws://a/"), List.of(), null, null, List.of(),
                WebSocketConfig.builder().maxHeaderBytes(bytes(big).length).build());
        assertEquals(State.OPENED, exact.receive(heap(ok(exact, "X-Pad: " + "p".repeat(200)))));
    }
}
