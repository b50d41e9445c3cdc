package io.duplex.core;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.internal.handshake.HttpHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpHeaders} answers every lookup as a plain list of (name, value) pairs would, compared with
 * {@link String#equalsIgnoreCase} (RFC 9110 §5.1: names are case-insensitive; a name may repeat, §5.3) and
 * values trimmed of optional white space (RFC 9112 §5.1) with obs-text kept as ISO-8859-1 (RFC 9110 §5.5):
 * for headers parsed off the wire and for headers built, the oracle being the pairs the test put in.
 */
class HttpHeadersTest {

    record Field(String name, String value, String before, String after) {
    }

    private static final List<String> NAMES = List.of("Accept", "accept", "ACCEPT", "X-Token", "x-token", "Key",
            "KEY", "k", "Sec-WebSocket-Protocol", "Via");

    /** Query names: the stored ones in other cases, an absent one, and ones equal only under Unicode case folding. */
    private static final List<String> QUERIES = List.of("accept", "AcCePt", "X-TOKEN", "key", "\u212Aey", "K",
            "\u212A", "sec-websocket-protocol", "via", "missing", "", "Accept ");

    @Provide
    Arbitrary<List<Field>> fields() {
        Arbitrary<String> name = Arbitraries.of(NAMES);
        Arbitrary<Character> inner = Arbitraries.of('a', 'B', 'z', ' ', '\t', ',', ',', ':', '=', '"', '\u00e9',
                '\u00ff', '\u00b5', '\u0080', '\u00a0');
        Arbitrary<Character> edge = Arbitraries.of('a', 'B', ',', ':', '\u00ff', '\u00e9', '\u00a0');
        Arbitrary<String> value = Combinators.combine(edge, inner.list().ofMaxSize(12), edge, Arbitraries.of(0, 1, 2))
                .as((first, middle, last, shape) -> {
                    if (shape == 0) {
                        return "";
                    }
                    if (shape == 1) {
                        return String.valueOf(first);
                    }
                    StringBuilder sb = new StringBuilder().append(first);
                    middle.forEach(sb::append);
                    return sb.append(last).toString();
                });
        Arbitrary<String> ows = Arbitraries.of("", " ", "\t", "  \t ");
        return Combinators.combine(name, value, ows, ows).as(Field::new).list().ofMaxSize(8);
    }

    private static HttpHeaders parsed(List<Field> fields) throws HandshakeException {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
        for (Field f : fields) {
            sb.append(f.name()).append(':').append(f.before()).append(f.value()).append(f.after()).append("\r\n");
        }
        byte[] b = sb.append("\r\n").toString().getBytes(ISO_8859_1);
        return HttpHead.parse(b, b.length, 100).headers();
    }

    private static HttpHeaders built(List<Field> fields) {
        HttpHeaders.Builder b = HttpHeaders.builder();
        for (Field f : fields) {
            b.add(f.name(), f.before() + f.value() + f.after());
        }
        return b.build();
    }

    @Property(tries = 300)
    void parsedHeadersAnswerAsThePairs(@ForAll("fields") List<Field> fields) throws HandshakeException {
        assertAnswersAsPairs(fields, parsed(fields));
    }

    @Property(tries = 300)
    void builtHeadersAnswerAsThePairs(@ForAll("fields") List<Field> fields) {
        HttpHeaders h = built(fields);
        assertAnswersAsPairs(fields, h);
        assertAnswersAsPairs(fields, HttpHeaders.builder().addAll(h).build());
    }

    @Property(tries = 200)
    void parsedAndBuiltAreEqual(@ForAll("fields") List<Field> fields) throws HandshakeException {
        HttpHeaders p = parsed(fields);
        HttpHeaders b = built(fields);
        assertEquals(b, p);
        assertEquals(b.hashCode(), p.hashCode());
        StringBuilder expected = new StringBuilder();
        for (Field f : fields) {
            expected.append(f.name()).append(": ").append(f.value()).append("\r\n");
        }
        assertEquals(expected.toString(), p.toString());
    }

    private static void assertAnswersAsPairs(List<Field> fields, HttpHeaders h) {
        assertEquals(fields.size(), h.size());
        for (int i = 0; i < fields.size(); i++) {
            assertEquals(fields.get(i).name(), h.name(i));
            assertEquals(fields.get(i).value(), h.value(i));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> h.name(fields.size()));
        assertThrows(IndexOutOfBoundsException.class, () -> h.value(-1));
        List<String> queries = new ArrayList<>(QUERIES);
        queries.addAll(NAMES);
        for (String q : queries) {
            List<String> all = new ArrayList<>();
            for (Field f : fields) {
                if (f.name().equalsIgnoreCase(q)) {
                    all.add(f.value());
                }
            }
            assertEquals(all, h.all(q), q);
            assertEquals(!all.isEmpty(), h.contains(q), q);
            assertEquals(all.isEmpty() ? null : all.get(0), h.first(q), q);
            assertEquals(all.size(), h.count(q), q);
            List<String> values = new ArrayList<>(all);
            for (String v : all) {
                // Values compare exactly: other cases and padding must not match.
                values.add(v.toUpperCase(Locale.ROOT));
                values.add(v.toLowerCase(Locale.ROOT));
                values.add(" " + v);
            }
            values.add("");
            values.add("a");
            for (String v : values) {
                assertEquals(all.size() == 1 && all.get(0).equals(v), h.hasSingle(q, v), q + " = " + v);
            }
            for (String token : tokens(fields)) {
                assertEquals(containsToken(fields, q, token), h.containsToken(q, token), q + " / " + token);
            }
        }
    }

    /** Every list element of every value, as is and in other cases, plus ones that match nothing. */
    private static List<String> tokens(List<Field> fields) {
        List<String> out = new ArrayList<>(List.of("", "zz", "a"));
        for (Field f : fields) {
            for (String e : f.value().split(",", -1)) {
                out.add(e.trim());
                out.add(e.trim().toUpperCase(Locale.ROOT));
                out.add(e);
            }
        }
        return out;
    }

    private static boolean containsToken(List<Field> fields, String name, String token) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                for (String e : f.value().split(",", -1)) {
                    if (e.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void repeatedFieldsKeepTheirOrderAndCase() throws HandshakeException {
        HttpHeaders h = parsed(List.of(new Field("X-A", "1", " ", ""), new Field("x-a", "2", "", "\t"),
                new Field("Via", "v", "", ""), new Field("X-a", "3", "\t ", " ")));
        assertEquals(List.of("1", "2", "3"), h.all("X-A"));
        assertEquals("1", h.first("x-A"));
        assertEquals("x-a", h.name(1));
        assertEquals("v", h.value(2));
    }

    @Test
    void obsTextIsLatin1AndColonsStayInTheValue() throws HandshakeException {
        byte[] b = "GET / HTTP/1.1\r\nX: a:b\u00e9\u00ff \r\n\r\n".getBytes(ISO_8859_1);
        HttpHeaders h = HttpHead.parse(b, b.length, 10).headers();
        assertEquals("a:b\u00e9\u00ff", h.first("x"));
        assertTrue(h.containsToken("X", "A:B\u00c9\u0178"), "compared as String.equalsIgnoreCase compares");
    }

    @Test
    void nullNamesAndTokensMatchNothing() {
        HttpHeaders h = HttpHeaders.builder().add("A", "b").build();
        assertNull(h.first(null));
        assertFalse(h.contains(null));
        assertTrue(h.all(null).isEmpty());
        assertFalse(h.containsToken("A", null));
        assertFalse(h.containsToken(null, "b"));
        assertEquals(0, h.count(null));
        assertFalse(h.hasSingle(null, "b"));
        assertFalse(h.hasSingle("A", null));
    }

    @Test
    void emptyHasNothing() {
        HttpHeaders h = HttpHeaders.empty();
        assertEquals(0, h.size());
        assertEquals("", h.toString());
        assertEquals(h, HttpHeaders.builder().build());
        assertThrows(IndexOutOfBoundsException.class, () -> h.name(0));
    }
}
