package io.duplex.core.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.core.HandshakeException;
import io.duplex.core.HttpHeaders;
import io.duplex.core.internal.http.HttpGrammar;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The allocation-free header parsing and queries agree with string-based oracles: {@link HttpHead#parse}
 * with splitting each line into a name and a value trimmed of SP and HTAB (RFC 9112 §5, RFC 9110 §5.5,
 * rejecting obs-fold, white space before the colon, non-token names and control characters), and
 * {@link HttpHeaders#count}, {@link HttpHeaders#hasSingle} and {@link HttpHeaders#containsToken} with the
 * same questions asked of {@link HttpHeaders#all}; {@link UpgradeChecks#validate} with the RFC 6455 §4.2.1
 * checks written over {@code all(...)}. Header sets mix case, white space, commas, empty and repeated fields.
 */
class HeaderQueriesProperties {

    private static final List<String> NAMES = List.of("Host", "hOST", "Upgrade", "upgrade", "Connection",
            "CONNECTION", "Content-Length", "Transfer-Encoding", "Sec-WebSocket-Key", "sec-websocket-key",
            "Sec-WebSocket-Version", "X-Other");
    private static final List<String> ELEMENTS = List.of("", "websocket", "WebSocket", "WEBSOCKETS", "upgrade",
            "Upgrade", "keep-alive", "0", "00", "13", "8", "h2c", "dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ",
            "a b", "websocket/13", "\u00e9");
    private static final List<String> QUERIES = List.of("websocket", "upgrade", "WebSocket", "0", "13", "",
            "keep-alive", "dGhlIHNhbXBsZSBub25jZQ==", "\u00e9", "\u00c9");

    @Provide
    Arbitrary<String> value() {
        Arbitrary<String> ows = Arbitraries.of("", "", " ", "\t", "  ", " \t");
        Arbitrary<String> element = Combinators.combine(ows, Arbitraries.of(ELEMENTS), ows)
                .as((a, e, b) -> a + e + b);
        return element.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
    }

    @Provide
    Arbitrary<String> line() {
        Arbitrary<String> valid = Combinators.combine(Arbitraries.of(NAMES), value()).as((n, v) -> n + ":" + v);
        Arbitrary<String> invalid = Arbitraries.of(" folded", "\tfolded", "Host : x", "Host\t: x", ": x", "Ho st: x",
                "Hos\u00e9: x", "no colon", "X: a\u0001b", "X: a\u007fb", "X:\u0000");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, valid), net.jqwik.api.Tuple.of(1, invalid));
    }

    @Provide
    Arbitrary<List<String>> lines() {
        return line().list().ofMaxSize(9);
    }

    @Property(tries = 400)
    void parsingAgreesWithTheStringOracle(@ForAll("lines") List<String> lines) {
        int max = 7;
        byte[] block = ("GET / HTTP/1.1\r\n" + String.join("", lines.stream().map(l -> l + "\r\n").toList()) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Object expected = oracleParse(lines, max);
        Object actual;
        try {
            actual = HttpHead.parse(block, block.length, max).headers();
        } catch (HandshakeException e) {
            actual = e.status();
        }
        assertEquals(expected, actual);
    }

    @Property(tries = 400)
    void queriesAgreeWithAll(@ForAll("lines") List<String> lines) {
        HttpHeaders h = validOnly(lines);
        for (String name : NAMES) {
            List<String> all = h.all(name);
            assertEquals(all.size(), h.count(name), name);
            for (String q : QUERIES) {
                assertEquals(all.size() == 1 && all.get(0).equals(q), h.hasSingle(name, q), name + " = " + q);
                assertEquals(HttpGrammar.listContains(all, q), h.containsToken(name, q), name + " ∋ " + q);
            }
        }
    }

    /** A valid request's fields, each kept with probability 7/8, among random ones, in random order. */
    @Provide
    Arbitrary<List<String>> nearlyValid() {
        List<String> base = List.of("Host: example.com", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13");
        Arbitrary<List<String>> kept = Arbitraries.integers().between(0, 7).list().ofSize(base.size())
                .map(dice -> java.util.stream.IntStream.range(0, base.size()).filter(i -> dice.get(i) != 0)
                        .mapToObj(base::get).toList());
        return Combinators.combine(kept, line().list().ofMaxSize(3)).as((k, extra) -> {
            List<String> all = new java.util.ArrayList<>(k);
            all.addAll(extra);
            return all;
        }).flatMap(l -> Arbitraries.shuffle(l));
    }

    @Property(tries = 600)
    void validateAgreesWithTheAllBasedChecks(@ForAll("nearlyValid") List<String> lines) throws HandshakeException {
        HttpHeaders h = validOnly(lines);
        byte[] block = validBlock(lines);
        // What the server parses: the same block with the key left out of the headers but checked in place.
        HttpHead head = HttpHead.parse(block, block.length, 100, UpgradeChecks.KEY);
        RequestLine get = RequestLine.parse(head.bytes(), head.startLineEnd());
        Object expected;
        try {
            expected = oracleValidate(h);
        } catch (HandshakeException e) {
            expected = e.status();
        }
        Object actual;
        try {
            UpgradeChecks.validate(get, head);
            actual = new String(head.bytes(), head.omittedValueStart(), head.omittedValueEnd() - head.omittedValueStart(),
                    StandardCharsets.ISO_8859_1);
        } catch (HandshakeException e) {
            actual = e.status();
        }
        assertEquals(expected, actual);
        Statistics.collect(actual instanceof String ? "accepted" : actual);
        assertEquals(HttpGrammar.listContains(h.all("Upgrade"), "websocket") || !h.all("Sec-WebSocket-Key").isEmpty()
                || !h.all("Sec-WebSocket-Version").isEmpty(), UpgradeChecks.asksForUpgrade(head));
    }

    /** The valid lines of {@code lines}, parsed; {@link #parsingAgreesWithTheStringOracle} vouches for the parse. */
    private static HttpHeaders validOnly(List<String> lines) {
        byte[] block = validBlock(lines);
        try {
            return HttpHead.parse(block, block.length, 100).headers();
        } catch (HandshakeException e) {
            throw new AssertionError(e);
        }
    }

    /** A request head of the valid lines of {@code lines}. */
    private static byte[] validBlock(List<String> lines) {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
        for (String l : lines) {
            if (oracleParse(List.of(l), 1) instanceof HttpHeaders) {
                sb.append(l).append("\r\n");
            }
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The headers the lines make, or the status refusing them: each line split and checked with String methods. */
    private static Object oracleParse(List<String> lines, int max) {
        HttpHeaders.Builder b = HttpHeaders.builder();
        int count = 0;
        for (String l : lines) {
            if (++count > max) {
                return 431;
            }
            int colon = l.indexOf(':');
            if (l.startsWith(" ") || l.startsWith("\t") || colon <= 0 || !HttpGrammar.isToken(l.substring(0, colon))) {
                return 400;
            }
            String v = l.substring(colon + 1).replaceAll("^[ \t]+|[ \t]+$", "");
            if (!v.chars().allMatch(c -> c == '\t' || c >= 0x20 && c != 0x7F)) {
                return 400;
            }
            b.add(l.substring(0, colon), v);
        }
        return b.build();
    }

    /** The JDK's Base64 as the oracle: the key decodes to 16 bytes and encodes back to itself. */
    private static boolean isBase64OfSixteenBytes(String key) {
        try {
            byte[] raw = java.util.Base64.getDecoder().decode(key);
            return raw.length == 16 && java.util.Base64.getEncoder().encodeToString(raw).equals(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** RFC 6455 §4.2.1's header checks as the server made them before its queries read the bytes in place. */
    private static String oracleValidate(HttpHeaders h) throws HandshakeException {
        List<String> lengths = h.all("Content-Length");
        if (h.contains("Transfer-Encoding") || lengths.size() > 1
                || lengths.size() == 1 && !lengths.get(0).equals("0")) {
            throw new HandshakeException(400, "body");
        }
        List<String> hosts = h.all("Host");
        if (hosts.size() != 1 || hosts.get(0).isEmpty()) {
            throw new HandshakeException(400, "host");
        }
        if (!HttpGrammar.listContains(h.all("Upgrade"), "websocket")) {
            throw new HandshakeException(400, "upgrade");
        }
        if (!HttpGrammar.listContains(h.all("Connection"), "upgrade")) {
            throw new HandshakeException(400, "connection");
        }
        List<String> keys = h.all("Sec-WebSocket-Key");
        if (keys.size() != 1 || !isBase64OfSixteenBytes(keys.get(0))) {
            throw new HandshakeException(400, "key");
        }
        List<String> versions = h.all("Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.get(0).equals("13")) {
            throw new HandshakeException(426, "version");
        }
        return keys.get(0);
    }
}
