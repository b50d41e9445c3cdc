package io.duplex.core.engine;

import static io.duplex.core.engine.HandshakeBytes.RFC_ACCEPT;
import static io.duplex.core.engine.HandshakeBytes.VALID;
import static io.duplex.core.engine.HandshakeBytes.bytes;
import static io.duplex.core.engine.HandshakeBytes.heap;
import static io.duplex.core.engine.HandshakeBytes.replace;
import static io.duplex.core.engine.HandshakeBytes.text;
import static io.duplex.core.engine.HandshakeBytes.with;
import static io.duplex.core.engine.HandshakeBytes.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.HandshakePolicy;
import io.duplex.core.HandshakeRequest;
import io.duplex.core.HttpHeaders;
import io.duplex.core.UpgradeDecision;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.ServerHandshake.State;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6455 §4.2.1 (reading the client's handshake) and §4.2.2 (answering it), with RFC 9110/9112 syntax. */
class ServerHandshakeTest {

    static final WebSocketHandler HANDLER = new WebSocketHandler() { };

    static ServerHandshake server() {
        return new ServerHandshake(WebSocketConfig.defaults(), HandshakePolicy.builder().handler(HANDLER).build());
    }

    static ServerHandshake run(HandshakePolicy policy, String request) {
        ServerHandshake s = new ServerHandshake(WebSocketConfig.defaults(), policy);
        s.receive(heap(request));
        return s;
    }

    static ServerHandshake run(String request) {
        ServerHandshake s = server();
        s.receive(heap(request));
        return s;
    }

    static void assertRejected(int status, String request) {
        ServerHandshake s = run(request);
        assertEquals(State.REJECTED, s.receive(heap("")), request);
        assertEquals(status, s.status(), request);
        assertEquals(status, s.failure().status(), request);
        String response = text(s.response());
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
        assertTrue(response.contains("\r\nConnection: close\r\n") || response.contains("\r\nConnection: Upgrade, close\r\n"),
                response);
        int bodyStart = response.indexOf("\r\n\r\n") + 4;
        assertTrue(response.contains("\r\nContent-Length: " + (response.length() - bodyStart) + "\r\n"), response);
    }

    @Test
    void acceptsTheRfcSampleWithTheRfcAcceptValue() {
        ServerHandshake s = run(VALID);
        assertEquals(State.ACCEPTED, s.receive(heap("")));
        assertEquals(101, s.status());
        assertSame(HANDLER, s.handler());
        assertEquals("", s.subprotocol());
        assertEquals("", s.extensionsHeader());
        assertEquals("/chat", s.request().path());
        assertEquals("room=1", s.request().query());
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + RFC_ACCEPT + "\r\n\r\n", text(s.response()));
    }

    @Test
    void tokensAreCaseInsensitiveAndListsMayHoldMore() {
        ServerHandshake s = run(replace("Connection", "connection: keep-alive ,  UPGRADE")
                .replace("Upgrade: websocket", "upgrade: WebSocket"));
        assertEquals(State.ACCEPTED, s.receive(heap("")));
    }

    @Test
    void inputSplitAtEveryOffsetGivesTheSameDecisionAndKeepsTrailingFrames() {
        byte[] req = bytes(VALID);
        byte[] frame = {(byte) 0x81, (byte) 0x85, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        byte[] all = new byte[req.length + frame.length];
        System.arraycopy(req, 0, all, 0, req.length);
        System.arraycopy(frame, 0, all, req.length, frame.length);
        String expected = text(run(VALID).response());
        for (int cut = 0; cut <= all.length; cut++) {
            ServerHandshake s = server();
            ByteBuffer first = ByteBuffer.wrap(all, 0, cut);
            State st = s.receive(first);
            ByteBuffer rest = ByteBuffer.wrap(all, cut, all.length - cut);
            if (cut < req.length) {
                assertEquals(State.NEED_MORE, st);
                assertFalse(first.hasRemaining());
                st = s.receive(rest);
            } else {
                rest = first.limit(all.length);
            }
            assertEquals(State.ACCEPTED, st, "cut " + cut);
            assertEquals(req.length, rest.position(), "frame bytes left in place, cut " + cut);
            assertEquals(expected, text(s.response()));
        }
    }

    @Test
    void oneByteAtATimeInDirectAndOffsetBuffers() {
        byte[] req = bytes(VALID + "XY");
        for (ByteBuffer in : List.of(HandshakeBytes.direct(req), HandshakeBytes.offset(req))) {
            ServerHandshake s = server();
            int start = in.position();
            State st = State.NEED_MORE;
            int fed = 0;
            while (st == State.NEED_MORE) {
                fed++;
                ByteBuffer one = in.duplicate().limit(start + fed);
                st = s.receive(one);
                in.position(one.position());
            }
            assertEquals(State.ACCEPTED, st);
            assertEquals(req.length - 2, in.position() - start);
            assertEquals(2, in.limit() - in.position());
            assertEquals('X', in.get(in.position()));
        }
    }

    @Test
    void plainGetIsNotAnUpgrade() {
        ServerHandshake s = run("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\nrest");
        assertEquals(State.NOT_UPGRADE, s.receive(heap("")));
        assertEquals("/index.html", s.request().target());
        assertNull(s.response());
        String r = text(ServerHandshake.upgradeRequiredResponse());
        assertTrue(r.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), r);
        assertTrue(r.contains("\r\nSec-WebSocket-Version: 13\r\n") && r.contains("\r\nUpgrade: websocket\r\n"), r);
    }

    @Test
    void httpResponseHelperFramesTheBody() {
        String r = text(ServerHandshake.httpResponse(200, "OK",
                HttpHeaders.builder().add("Content-Type", "text/plain").build(), bytes("héllo")));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhéllo", r);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "method POST → 405|405|POST /chat HTTP/1.1",
        "HTTP/1.0 → 505|505|GET /chat HTTP/1.0",
        "HTTP/2.0 → 505|505|GET /chat HTTP/2.0",
        "lower-case version → 400|400|GET /chat http/1.1",
        "two spaces → 400|400|GET  /chat HTTP/1.1",
        "no target → 400|400|GET HTTP/1.1",
        "absolute-form target → 400|400|GET ws://a/chat HTTP/1.1",
        "trailing space → 400|400|'GET /chat HTTP/1.1 '",
    })
    void requestLine(String name, int status, String line) {
        assertRejected(status, VALID.replace("GET /chat?room=1 HTTP/1.1", line));
    }

    @Test
    void methodNotAllowedSaysAllowGet() {
        ServerHandshake s = run(VALID.replace("GET ", "PUT "));
        assertTrue(text(s.response()).contains("\r\nAllow: GET\r\n"));
    }

    @Test
    void upgradeRequestMustNotHaveABody() {
        assertRejected(400, with("Content-Length: 5"));
        assertRejected(400, with("Transfer-Encoding: chunked"));
        assertRejected(400, with("Content-Length: 0", "Content-Length: 0"));
        assertEquals(State.ACCEPTED, run(with("Content-Length: 0")).receive(heap("")));
    }

    @Test
    void hostIsRequiredExactlyOnce() {
        assertRejected(400, without("Host"));
        assertRejected(400, with("Host: other.example.com"));
        assertRejected(400, replace("Host", "Host:"));
    }

    @Test
    void upgradeAndConnection() {
        assertRejected(400, without("Upgrade"));
        assertRejected(400, replace("Upgrade", "Upgrade: websockets"));
        assertRejected(400, replace("Upgrade", "Upgrade: h2c"));
        assertRejected(400, without("Connection"));
        assertRejected(400, replace("Connection", "Connection: keep-alive"));
        assertRejected(400, replace("Connection", "Connection: Upgrade-Insecure"));
        // Sec-WebSocket-Key and -Version make it a WebSocket handshake even without Upgrade and Connection.
        assertRejected(400, without("Upgrade").replace("Connection: Upgrade\r\n", ""));
    }

    @Test
    void requestsWithoutWebSocketFieldsArePlainHttpEvenWhenTheyOfferAnotherUpgrade() {
        String plain = "GET /index.html HTTP/1.1\r\nHost: server.example.com\r\n\r\n";
        assertEquals(State.NOT_UPGRADE, run(plain).receive(heap("")));
        // The JDK's HttpClient offers h2c on http:// URLs; a server may ignore the offer (RFC 9110 §7.8).
        String h2c = "GET /index.html HTTP/1.1\r\nHost: server.example.com\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n\r\n";
        ServerHandshake s = run(h2c);
        assertEquals(State.NOT_UPGRADE, s.receive(heap("")));
        assertEquals("/index.html", s.request().path());
    }

    @ParameterizedTest
    @CsvSource({
        "AAAAAAAAAAAAAAAAAAAAAA", // 16 bytes without padding
        "AAAAAAAAAAAAAAAAAAAAAAA=", // 17 bytes
        "AAAAAAAAAAAAAAAAAAAA", // 15 bytes
        "dGhlIHNhbXBsZSBub25jZR==", // stray bits in the last character
        "dGhlIHNhbXBsZSBub25j*Q==", // not base64
        "dGhlIHNhbXBsZSBub25jZQ", // unpadded
    })
    void keyMustBeBase64Of16Bytes(String key) {
        assertRejected(400, replace("Sec-WebSocket-Key", "Sec-WebSocket-Key: " + key));
    }

    @Test
    void keyMissingOrRepeated() {
        assertRejected(400, without("Sec-WebSocket-Key"));
        assertRejected(400, with("Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="));
    }

    @Test
    void keyIsValidatedAndAnsweredButNotKeptInTheRequest() {
        AtomicReference<HandshakeRequest> seen = new AtomicReference<>();
        HandshakePolicy policy = HandshakePolicy.builder()
                .decider(req -> { seen.set(req); return UpgradeDecision.accept(HANDLER); }).build();
        ServerHandshake s = run(policy, with("Origin: https://a.example"));
        assertEquals(State.ACCEPTED, s.receive(heap("")));
        assertTrue(text(s.response()).contains("\r\nSec-WebSocket-Accept: " + RFC_ACCEPT + "\r\n"));
        for (HandshakeRequest r : List.of(seen.get(), s.request())) {
            HttpHeaders h = r.headers();
            assertFalse(h.contains("sec-websocket-key"));
            assertNull(h.first("Sec-WebSocket-Key"));
            assertEquals(List.of("Host", "Upgrade", "Connection", "Sec-WebSocket-Version", "Origin"),
                    java.util.stream.IntStream.range(0, h.size()).mapToObj(h::name).toList());
            assertEquals("https://a.example", r.origin());
            assertEquals("/chat?room=1", r.target());
        }
        // Leaving it out of the kept request changes nothing in how the key is checked.
        assertRejected(400, without("Sec-WebSocket-Key"));
        assertRejected(400, with("sec-websocket-key: " + HandshakeBytes.RFC_KEY));
        assertRejected(400, replace("Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ"));
    }

    @ParameterizedTest
    @CsvSource({"8", "14", "'13, 8'", "013", "''"})
    void versionOtherThan13Gets426WithTheSupportedVersion(String version) {
        String req = replace("Sec-WebSocket-Version", "Sec-WebSocket-Version: " + version);
        assertRejected(426, req);
        String r = text(run(req).response());
        assertTrue(r.contains("\r\nSec-WebSocket-Version: 13\r\n"), r);
        assertRejected(426, without("Sec-WebSocket-Version"));
        assertRejected(426, with("Sec-WebSocket-Version: 13"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "space before colon|Foo : bar",
        "space in name|Fo o: bar",
        "obs-fold|  folded",
        "no colon|Foo",
        "empty name|: bar",
        "non-token name|Fo(o): bar",
    })
    void malformedFieldLines(String name, String line) {
        assertRejected(400, with(line));
    }

    @Test
    void controlCharactersAndLineEnds() {
        assertRejected(400, with("Foo: a\u0001b"));
        assertRejected(400, with("Foo: a\u007fb"));
        assertRejected(400, with("Foo: a\u0000b"));
        assertRejected(400, VALID.replace("Host: server.example.com\r\n", "Host: server.example.com\n"));
        assertRejected(400, VALID.replace("Host: server.example.com\r\n", "Host: server\r.example.com\r\n"));
        assertRejected(400, "\r\n" + VALID);
        assertEquals(State.ACCEPTED, run(with("Foo: tab\there and obs-text \u00e9")).receive(heap("")));
    }

    @Test
    void headerBlockOverTheLimitIs431EvenBeforeItEnds() {
        WebSocketConfig config = WebSocketConfig.builder().maxHeaderBytes(300).build();
        ServerHandshake s = new ServerHandshake(config, HandshakePolicy.builder().handler(HANDLER).build());
        String big = VALID.substring(0, VALID.length() - 2) + "X-Pad: " + "a".repeat(300);
        assertEquals(State.REJECTED, s.receive(heap(big)));
        assertEquals(431, s.status());

        String padded = with("X-Pad: " + "p".repeat(200));
        int exact = bytes(padded).length;
        ServerHandshake fits = new ServerHandshake(WebSocketConfig.builder().maxHeaderBytes(exact).build(),
                HandshakePolicy.builder().handler(HANDLER).build());
        assertEquals(State.ACCEPTED, fits.receive(heap(padded)));
        ServerHandshake over = new ServerHandshake(WebSocketConfig.builder().maxHeaderBytes(exact - 1).build(),
                HandshakePolicy.builder().handler(HANDLER).build());
        assertEquals(State.REJECTED, over.receive(heap(padded)));
        assertEquals(431, over.status());
    }

    @Test
    void tooManyFieldsIs431() {
        String[] lines = new String[96]; // 5 in VALID: 101 fields, one over the default 100
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "X-" + i + ": v";
        }
        assertRejected(431, with(lines));
        assertEquals(State.ACCEPTED, run(with(java.util.Arrays.copyOf(lines, 95))).receive(heap("")));
    }

    @Test
    void originPolicy() {
        AtomicReference<String> seen = new AtomicReference<>("unset");
        HandshakePolicy policy = HandshakePolicy.builder().handler(HANDLER)
                .originPolicy(o -> { seen.set(o); return "https://good.example".equals(o); }).build();
        assertEquals(403, run(policy, VALID).status());
        assertNull(seen.get());
        assertEquals(403, run(policy, with("Origin: https://evil.example")).status());
        assertEquals(101, run(policy, with("Origin: https://good.example")).status());
    }

    @Test
    void deciderRejectsWithItsOwnResponse() {
        HandshakePolicy policy = HandshakePolicy.builder().decider(req -> req.path().equals("/chat")
                ? UpgradeDecision.reject(401, HttpHeaders.builder().add("WWW-Authenticate", "Bearer").build(), "who?")
                : UpgradeDecision.accept(HANDLER)).build();
        ServerHandshake s = run(policy, VALID);
        assertEquals(State.REJECTED, s.receive(heap("")));
        assertEquals(401, s.status());
        assertEquals("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 4\r\nConnection: close\r\n\r\nwho?", text(s.response()));
        assertEquals("/chat", s.request().path());
    }

    @Test
    void throwingOrNullDeciderIs500() {
        HandshakePolicy throwing = HandshakePolicy.builder().decider(req -> { throw new IllegalStateException("x"); })
                .build();
        assertEquals(500, run(throwing, VALID).status());
        assertEquals(500, run(HandshakePolicy.builder().decider(req -> null).build(), VALID).status());
        HandshakePolicy badOrigin = HandshakePolicy.builder().handler(HANDLER)
                .originPolicy(o -> { throw new IllegalStateException(); }).build();
        assertEquals(500, run(badOrigin, VALID).status());
    }

    @Test
    void deciderAddsHeaders() {
        HandshakePolicy policy = HandshakePolicy.builder()
                .decider(req -> UpgradeDecision.accept(HANDLER).withHeader("Set-Cookie", "id=1")).build();
        String r = text(run(policy, VALID).response());
        assertTrue(r.endsWith("\r\nSet-Cookie: id=1\r\n\r\n"), r);
    }

    @Test
    void subprotocolIsTheServersFirstThatTheClientOffers() {
        HandshakePolicy policy = HandshakePolicy.builder().handler(HANDLER).subprotocols(List.of("b", "a", "c")).build();
        ServerHandshake s = run(policy, with("Sec-WebSocket-Protocol: x, a", "Sec-WebSocket-Protocol: b"));
        assertEquals("b", s.subprotocol());
        assertTrue(text(s.response()).contains("\r\nSec-WebSocket-Protocol: b\r\n"));
        assertEquals("a", run(policy, with("Sec-WebSocket-Protocol: c, a, x")).subprotocol());
        ServerHandshake none = run(policy, with("Sec-WebSocket-Protocol: x, y"));
        assertEquals(State.ACCEPTED, none.receive(heap("")));
        assertEquals("", none.subprotocol());
        assertFalse(text(none.response()).contains("Sec-WebSocket-Protocol"));
        assertFalse(text(run(policy, VALID).response()).contains("Sec-WebSocket-Protocol"));
        assertEquals(400, run(policy, with("Sec-WebSocket-Protocol: a b")).status());
    }

    @Test
    void deciderMayOverrideTheSubprotocolOnlyWithOneOffered() {
        HandshakePolicy pick = HandshakePolicy.builder().subprotocols(List.of("a"))
                .decider(req -> UpgradeDecision.accept(HANDLER).withSubprotocol("y")).build();
        assertEquals("y", run(pick, with("Sec-WebSocket-Protocol: x, y")).subprotocol());
        assertEquals(500, run(pick, with("Sec-WebSocket-Protocol: a")).status());
    }

    @Test
    void extensionsAreNegotiatedThroughTheFactories() {
        FakeExtensionFactory fake = FakeExtensionFactory.standard();
        FakeExtensionFactory other = new FakeExtensionFactory("x-other", 2, 9, List.of());
        FakeExtensionFactory clash = new FakeExtensionFactory("x-clash", 4, 9, List.of());
        HandshakePolicy policy = HandshakePolicy.builder().handler(HANDLER)
                .extensions(List.of(clash, other, fake)).build();
        ServerHandshake s = run(policy,
                with("Sec-WebSocket-Extensions: unknown, x-fake; level=7, x-other", "Sec-WebSocket-Extensions: "
                        + "x-fake; level=\"3\"; mode, x-clash"));
        assertEquals(State.ACCEPTED, s.receive(heap("")));
        // client order of first mention: x-fake (level 7 declined, level 3 taken), x-other; x-clash's RSV1 is taken
        assertEquals("x-fake; level=3; mode, x-other", s.extensionsHeader());
        assertEquals(List.of("x-fake", "x-other"), s.extensions().stream().map(e -> e.negotiated().name()).toList());
        assertTrue(text(s.response()).contains("\r\nSec-WebSocket-Extensions: x-fake; level=3; mode, x-other\r\n"));

        assertEquals(400, run(policy, with("Sec-WebSocket-Extensions: x-fake; level=x")).status());
        assertEquals(400, run(policy, with("Sec-WebSocket-Extensions: x-fake;;")).status());
        ServerHandshake declined = run(policy, with("Sec-WebSocket-Extensions: x-fake; level=9"));
        assertEquals("", declined.extensionsHeader());
        assertFalse(text(declined.response()).contains("Sec-WebSocket-Extensions"));
    }

    @Test
    void reservedHeadersCannotBeAdded() {
        UpgradeDecision d = UpgradeDecision.accept(HANDLER);
        for (String name : List.of("Sec-WebSocket-Accept", "upgrade", "Connection", "Sec-WebSocket-Protocol")) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> d.withHeader(name, "x"));
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UpgradeDecision.reject(400, HttpHeaders.builder().add("Content-Length", "3").build(), ""));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UpgradeDecision.reject(101, null, null));
    }

    @Test
    void decidedHandshakeConsumesNothingMore() {
        ServerHandshake s = run(VALID);
        ByteBuffer more = ByteBuffer.wrap("GET".getBytes(StandardCharsets.US_ASCII));
        assertEquals(State.ACCEPTED, s.receive(more));
        assertEquals(0, more.position());
    }
}
