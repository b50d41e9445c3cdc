package io.duplex.core.engine;

import static io.duplex.core.engine.HandshakeBytes.VALID;
import static io.duplex.core.engine.HandshakeBytes.bytes;
import static io.duplex.core.engine.HandshakeBytes.replace;
import static io.duplex.core.engine.HandshakeBytes.with;
import static io.duplex.core.engine.HandshakeBytes.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakeException;
import io.duplex.core.HandshakePolicy;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the server's request parser (RFC 6455 §4.2.1 over RFC 9112 syntax): every mutation that
 * breaks a MUST is rejected with its status however the input is split, and arbitrary input never escapes
 * as an unchecked exception.
 */
class ServerHandshakePropertiesTest {

    record Mutation(String what, String request, int status) {
        @Override
        public String toString() {
            return what + " → " + status;
        }
    }

    static ServerHandshake.State feed(ServerHandshake s, byte[] input, int chunk) {
        ServerHandshake.State st = ServerHandshake.State.NEED_MORE;
        for (int off = 0; off < input.length && st == ServerHandshake.State.NEED_MORE; off += chunk) {
            st = s.receive(ByteBuffer.wrap(input, off, Math.min(chunk, input.length - off)));
        }
        return st;
    }

    static ServerHandshake server() {
        return new ServerHandshake(WebSocketConfig.defaults(),
                HandshakePolicy.builder().handler(new WebSocketHandler() { }).build());
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Mutation> fixed = Arbitraries.of(
                new Mutation("drop Host", without("Host"), 400),
                new Mutation("two Hosts", with("Host: x"), 400),
                new Mutation("drop Upgrade", without("Upgrade"), 400),
                new Mutation("Connection without upgrade", replace("Connection", "Connection: keep-alive"), 400),
                new Mutation("drop Connection", without("Connection"), 400),
                new Mutation("drop key", without("Sec-WebSocket-Key"), 400),
                new Mutation("HTTP/1.0", VALID.replace("HTTP/1.1", "HTTP/1.0"), 505),
                new Mutation("method POST", VALID.replace("GET", "POST"), 405),
                new Mutation("obs-fold", with(" folded"), 400),
                new Mutation("oversize block", with("X-Pad: " + "a".repeat(9000)), 431));
        Arbitrary<Mutation> garbledUpgrade = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.equals("websocket"))
                .map(s -> new Mutation("Upgrade: " + s, replace("Upgrade", "Upgrade: " + s), 400));
        Arbitrary<Mutation> keyLength = Arbitraries.integers().between(0, 40).filter(n -> n != 16)
                .map(n -> new Mutation("key of " + n + " bytes", replace("Sec-WebSocket-Key",
                        "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[n])), 400));
        Arbitrary<Mutation> version = Arbitraries.integers().between(0, 255).filter(v -> v != 13)
                .map(v -> new Mutation("version " + v, replace("Sec-WebSocket-Version", "Sec-WebSocket-Version: " + v),
                        426));
        Arbitrary<Mutation> method = Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(8)
                .filter(m -> !m.equals("GET"))
                .map(m -> new Mutation("method " + m, VALID.replace("GET ", m + " "), 405));
        Arbitrary<Mutation> spaceInName = Arbitraries.integers().between(1, 5)
                .map(i -> new Mutation("space in a header name", with("X-Na" + " ".repeat(i) + "me: v"), 400));
        Arbitrary<Mutation> control = Arbitraries.chars().range((char) 0, (char) 0x1F).filter(c -> c != '\t'
                && c != '\r' && c != '\n').map(c -> new Mutation("control " + (int) c, with("X-C: a" + c + "b"), 400));
        return Arbitraries.oneOf(fixed, garbledUpgrade, keyLength, version, method, spaceInName, control);
    }

    @Property(tries = 200)
    void everyBrokenMustIsRejectedWithItsStatusHoweverSplit(@ForAll("mutations") Mutation m,
            @ForAll @IntRange(min = 1, max = 64) int chunk) {
        ServerHandshake s = server();
        assertEquals(ServerHandshake.State.REJECTED, feed(s, bytes(m.request()), chunk), m.what());
        assertEquals(m.status(), s.status(), m.what());
        assertEquals(m.status(), s.failure().status(), m.what());
        assertTrue(HandshakeBytes.text(s.response()).startsWith("HTTP/1.1 " + m.status() + " "));
    }

    @Property(tries = 200)
    void validRequestIsAcceptedHoweverSplit(@ForAll @IntRange(min = 1, max = 200) int chunk) {
        ServerHandshake s = server();
        assertEquals(ServerHandshake.State.ACCEPTED, feed(s, bytes(VALID), chunk));
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(1500);
        // Pieces of real requests reach deeper into the parser than uniform noise does.
        Arbitrary<String> piece = Arbitraries.of("GET ", "POST ", "/", " HTTP/1.1", " HTTP/1.0", "\r\n", "\r", "\n",
                ":", ": ", " ", "\t", "Host", "Upgrade", "websocket", "Connection", "Sec-WebSocket-Key",
                "Sec-WebSocket-Version", "13", HandshakeBytes.RFC_KEY, ",", ";", "\"", "\u0000", "\u00ff", "a",
                "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol", "=", "\r\n\r\n");
        Arbitrary<byte[]> structured = piece.list().ofMaxSize(80).map(l -> bytes(String.join("", l)));
        return Arbitraries.oneOf(random, structured);
    }

    @Property(tries = 200)
    void garbageNeverThrowsAndIsDecidedTheSameWayHoweverSplit(@ForAll("garbage") byte[] input,
            @ForAll @IntRange(min = 1, max = 40) int chunk) {
        ServerHandshake whole = server();
        ServerHandshake.State a = whole.receive(ByteBuffer.wrap(input));
        ServerHandshake split = server();
        ServerHandshake.State b = feed(split, input, chunk);
        assertEquals(a, b);
        assertEquals(whole.status(), split.status());
        assertNotEquals(ServerHandshake.State.ACCEPTED, a);
        if (a == ServerHandshake.State.REJECTED) {
            assertTrue(whole.status() >= 400 && whole.status() < 600);
            assertTrue(whole.response().hasRemaining());
        }
    }

    @Property(tries = 200)
    void mutatedValidRequestsNeverThrow(@ForAll @Size(max = 6) List<@IntRange(min = 0, max = 200) Integer> positions,
            @ForAll("garbage") byte[] insert) {
        byte[] valid = bytes(VALID);
        byte[] m = valid.clone();
        for (int p : positions) {
            int at = p % m.length;
            m[at] = insert.length == 0 ? (byte) p : insert[p % insert.length];
        }
        ServerHandshake s = server();
        ServerHandshake.State st = s.receive(ByteBuffer.wrap(m));
        ServerHandshake t = server();
        assertEquals(st, feed(t, m, 1));
        assertEquals(s.status(), t.status());
    }

    @Property(tries = 200)
    void clientNeverOpensOnGarbageNorThrows(@ForAll("garbage") byte[] input, @ForAll @IntRange(min = 1, max = 40) int chunk) {
        ClientHandshake c = new ClientHandshake(URI.create("ws://example.com/"), List.of("chat"), null, null,
                List.of(FakeExtensionFactory.standard()), WebSocketConfig.defaults());
        ClientHandshake.State st = ClientHandshake.State.NEED_MORE;
        for (int off = 0; off < input.length && st == ClientHandshake.State.NEED_MORE; off += chunk) {
            st = c.receive(ByteBuffer.wrap(input, off, Math.min(chunk, input.length - off)));
        }
        assertNotEquals(ClientHandshake.State.OPENED, st);
    }

    @Property(tries = 100)
    void extensionParserNeverThrowsUnchecked(@ForAll("garbage") byte[] input) {
        try {
            ExtensionOffer.parse(List.of(new String(input, java.nio.charset.StandardCharsets.ISO_8859_1)), 16, 16);
        } catch (HandshakeException e) {
            assertEquals(400, e.status());
        }
    }

}
