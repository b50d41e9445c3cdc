package io.duplex.core.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplex.core.HandshakeException;
import io.duplex.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Parsing a request's fields once without the {@code Sec-WebSocket-Key} (RFC 6455 §4.2.1 item 4: the key is
 * validated and answered, not kept): the parser's own full parse, filtered with {@link String#equalsIgnoreCase}
 * (RFC 9110 §5.1), is the oracle. Also the target length the parser leaves room for (RFC 9112 §3).
 */
class FieldOmissionProperties {

    private static final String KEY = "Sec-WebSocket-Key";

    @Property(tries = 400)
    void omittedFieldsAreCountedAndTheRestKeptInOrder(@ForAll("fields") @Size(max = 12) List<String[]> fields)
            throws HandshakeException {
        StringBuilder sb = new StringBuilder("GET /chat HTTP/1.1\r\n");
        for (String[] f : fields) {
            sb.append(f[0]).append(':').append(f[1]).append("\r\n");
        }
        byte[] block = sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        HttpHeaders all = HttpHead.parse(block, block.length, 100).headers();
        HttpHeaders.Builder kept = HttpHeaders.builder();
        List<String> omittedValues = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.name(i).equalsIgnoreCase(KEY)) {
                omittedValues.add(all.value(i));
            } else {
                kept.add(all.name(i), all.value(i));
            }
        }

        HttpHead head = HttpHead.parse(block, block.length, 100, KEY);

        assertEquals(kept.build(), head.headers());
        assertEquals(kept.build().toString(), head.headers().toString());
        assertEquals(omittedValues.size(), head.omittedCount());
        if (!omittedValues.isEmpty()) {
            assertEquals(omittedValues.get(0), new String(block, head.omittedValueStart(),
                    head.omittedValueEnd() - head.omittedValueStart(), StandardCharsets.ISO_8859_1));
        }
    }

    /** The field limit counts omitted fields too: omitting one never lets a request carry more. */
    @Property(tries = 50)
    void omittedFieldsCountTowardsTheLimit(@ForAll @IntRange(min = 1, max = 6) int keys) {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 0; i < keys; i++) {
            sb.append(KEY).append(": k\r\n");
        }
        byte[] block = sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> HttpHead.parse(block, block.length, keys, KEY));
        assertEquals(431, e.status());
    }

    @Provide
    Arbitrary<List<String[]>> fields() {
        Arbitrary<String> names = Arbitraries.of(KEY, "sec-websocket-key", "SEC-WEBSOCKET-KEY", "Sec-WebSocket-Keys",
                "Sec-WebSocket-Ke", "Sec-WebSocket-Version", "Host", "X", "Origin");
        Arbitrary<String> values = Arbitraries.strings().withChars("abcAB=+/ \t,").ofMaxLength(30)
                .map(v -> v.strip().isEmpty() ? "v" : v);
        return Combinators.combine(names, values).as((n, v) -> new String[] {n, v}).list();
    }
}
