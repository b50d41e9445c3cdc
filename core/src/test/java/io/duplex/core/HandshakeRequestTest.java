package io.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Objects;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The request kept for {@link WebSocket#handshakeRequest()}: target and fields in one array, decoded on demand. */
class HandshakeRequestTest {

    private static final HttpHeaders FIELDS = HttpHeaders.builder().add("Host", "h.example").add("X-A", "1")
            .add("x-a", "2").build();

    @Property(tries = 200)
    void anyTargetAndFieldsComeBackAsGiven(@ForAll String target, @ForAll boolean withFields) {
        HttpHeaders headers = withFields ? FIELDS : HttpHeaders.empty();
        HandshakeRequest r = HandshakeRequest.of("GET", target, headers);
        assertEquals(target, r.target()); // also chars above U+00FF and lone surrogates
        assertEquals(headers, r.headers());
        assertEquals(headers.hashCode(), r.headers().hashCode());
        assertEquals(headers.toString(), r.headers().toString());
        assertEquals(Objects.hash("GET", target, headers), r.hashCode());
        assertEquals(r, HandshakeRequest.of("GET", target, headers));
    }

    @Test
    void aViewOfTheFieldsAnswersAsTheFieldsDo() {
        HttpHeaders h = HandshakeRequest.of("GET", "/p?q=1", FIELDS).headers();
        assertEquals(3, h.size());
        assertEquals("X-A", h.name(1));
        assertEquals("2", h.value(2));
        assertEquals(java.util.List.of("1", "2"), h.all("X-A"));
        assertEquals("h.example", h.first("host"));
        assertEquals(FIELDS, HttpHeaders.builder().addAll(h).build());
        assertEquals("/p", HandshakeRequest.of("GET", "/p?q=1", FIELDS).path());
        assertEquals("q=1", HandshakeRequest.of("GET", "/p?q=1", FIELDS).query());
    }

    @Test
    void equalityNeedsTheSameMethodTargetAndFields() {
        HandshakeRequest r = HandshakeRequest.of("GET", "/a", FIELDS);
        assertNotEquals(r, HandshakeRequest.of("POST", "/a", FIELDS));
        assertNotEquals(r, HandshakeRequest.of("GET", "/ab", FIELDS));
        assertNotEquals(r, HandshakeRequest.of("GET", "/a", HttpHeaders.empty()));
        // The target's last byte must not pass for the start of the fields.
        assertNotEquals(HandshakeRequest.of("GET", "/H", HttpHeaders.builder().add("ost", "x").build()),
                HandshakeRequest.of("GET", "/", HttpHeaders.builder().add("Host", "x").build()));
        assertEquals("GET /a", r.toString());
    }

    @Property(tries = 200)
    void subprotocolsAreTheNonEmptyElementsOfEveryProtocolField(
            @ForAll("protocolFields") java.util.List<String> values) {
        HttpHeaders.Builder b = HttpHeaders.builder().add("Host", "h");
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            b.add(i % 2 == 0 ? "Sec-WebSocket-Protocol" : "sec-websocket-PROTOCOL", values.get(i));
            for (String e : values.get(i).split(",")) {
                if (!e.isBlank()) {
                    expected.add(e.strip());
                }
            }
        }
        java.util.List<String> offered = HandshakeRequest.of("GET", "/", b.build()).subprotocols();
        assertEquals(expected, offered);
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> offered.add("x"));
        HandshakePolicy policy = HandshakePolicy.builder().handler(new WebSocketHandler() { })
                .subprotocols(java.util.List.of("chat", "v2")).build();
        // The server's order decides: "chat" whenever offered, else "v2" when offered.
        String chosen = expected.contains("chat") ? "chat" : expected.contains("v2") ? "v2" : null;
        assertEquals(chosen, policy.chooseSubprotocol(offered));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<java.util.List<String>> protocolFields() {
        return net.jqwik.api.Arbitraries.of("chat", "v2", "x", "", " ", "\t", ",", "chat, v2", " v2 ,, chat\t", "CHAT")
                .list().ofMaxSize(3);
    }
}
