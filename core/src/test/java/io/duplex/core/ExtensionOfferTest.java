package io.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §9.1 extension-list grammar with RFC 9110 §5.6 tokens, quoted-strings and lists. */
class ExtensionOfferTest {

    static List<ExtensionOffer> parse(String... values) throws HandshakeException {
        return ExtensionOffer.parse(Arrays.asList(values), 16, 16);
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void permessageDeflateOffersFromRfc7692() throws HandshakeException {
        List<ExtensionOffer> offers = parse(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate");
        assertEquals(2, offers.size());
        assertEquals("permessage-deflate", offers.get(0).name());
        assertEquals(List.of("client_max_window_bits", "server_max_window_bits"),
                List.copyOf(offers.get(0).parameters().keySet()));
        assertNull(offers.get(0).parameters().get("client_max_window_bits"));
        assertEquals("10", offers.get(0).parameters().get("server_max_window_bits"));
        assertEquals(Map.of(), offers.get(1).parameters());
    }

    @Test
    void whitespaceAroundSeparatorsAndAcrossHeaderLines() throws HandshakeException {
        List<ExtensionOffer> offers = parse(" a ;\tp = 1 ; q\t=\t\"2\" ,b", "c;x");
        assertEquals(List.of("a", "b", "c"), offers.stream().map(ExtensionOffer::name).toList());
        assertEquals(params("p", "1", "q", "2"), offers.get(0).parameters());
        assertEquals(params("x", null), offers.get(2).parameters());
    }

    @Test
    void quotedStringsUnescape() throws HandshakeException {
        assertEquals("10", parse("a; p=\"\\1\\0\"").get(0).parameters().get("p"));
        assertEquals("x-y", parse("a; p=\"x-y\"").get(0).parameters().get("p"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", ",", "a,", ",a", "a,,b", "a;", "a;;p", "a; p=", "a; =1", "a; p=1=2", "a b", "a; p q",
        "a; p=\"1", "a; p=\"\"", "a; p=\"x y\"", "a; p=\"a\\\"", "a; p=\"x\\", "a; p=\"\u0001\"",
        "a; p=1; p=2", "a; p; p", "a(b)", "a; p=\"1\"x", "a; p=@", "\"a\"", "a;p=1,;"
    })
    void rejectsMalformed(String value) {
        HandshakeException e = assertThrows(HandshakeException.class, () -> parse(value), value);
        assertEquals(400, e.status());
    }

    @Test
    void samePameterInDifferentElementsIsFine() throws HandshakeException {
        assertEquals(2, parse("a; p=1, a; p=2").size());
    }

    @Test
    void capsOnElementsAndParameters() throws HandshakeException {
        String sixteen = String.join(", ", java.util.Collections.nCopies(16, "e"));
        assertEquals(16, parse(sixteen).size());
        assertThrows(HandshakeException.class, () -> parse(sixteen + ", e"));
        assertThrows(HandshakeException.class, () -> parse(sixteen, "e"));
        StringBuilder p = new StringBuilder("e");
        for (int i = 0; i < 16; i++) {
            p.append("; p").append(i);
        }
        assertEquals(16, parse(p.toString()).get(0).parameters().size());
        assertThrows(HandshakeException.class, () -> parse(p + "; p16"));
        assertThrows(HandshakeException.class, () -> ExtensionOffer.parse(List.of("a, b"), 1, 16));
        assertThrows(HandshakeException.class, () -> ExtensionOffer.parse(List.of("a; x"), 16, 0));
    }

    @Test
    void toStringIsTheWireFormAndQuotesNonTokens() throws HandshakeException {
        ExtensionOffer o = ExtensionOffer.of("x", params("a", null, "b", "7", "c", "two words", "d", "q\"\\"));
        assertEquals("x; a; b=7; c=\"two words\"; d=\"q\\\"\\\\\"", o.toString());
        ExtensionOffer token = ExtensionOffer.of("permessage-deflate", params("client_max_window_bits", null));
        assertEquals(List.of(token), parse(token.toString()));
    }

    @Test
    void ofValidatesTokensAndKeepsOrder() {
        assertThrows(IllegalArgumentException.class, () -> ExtensionOffer.of("a b", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ExtensionOffer.of("a", params("p q", null)));
        assertThrows(IllegalArgumentException.class, () -> ExtensionOffer.of("a", params("p", "\n")));
        Map<String, String> in = params("z", "1", "a", "2");
        ExtensionOffer o = ExtensionOffer.of("e", in);
        in.put("m", "3");
        assertEquals(List.of("z", "a"), List.copyOf(o.parameters().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> o.parameters().put("k", "v"));
    }
}
