package io.duplex.autobahn;

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

/** RFC 8259 values as the report reader sees them, and the malformed inputs it must refuse. */
class JsonReaderTest {

    @Test
    void readsEveryKindOfValue() throws Exception {
        Object v = JsonReader.parse(" {\"a\": [1, -2.5e1, true, false, null, \"x\"], \"b\": {}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1.0, -25.0, true, false, null, "x"));
        expected.put("b", Map.of());
        assertEquals(expected, v);
    }

    @Test
    void keepsMemberOrder() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) JsonReader.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertEquals(List.of("z", "a", "m"), List.copyOf(m.keySet()));
    }

    @Test
    void decodesEscapes() throws Exception {
        // \u00e9 is é; \ud83d\ude00 is the surrogate pair of U+1F600.
        assertEquals("q\"b\\s/\b\f\n\r\t\u00e9\ud83d\ude00",
                JsonReader.parse("\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u00E9\\ud83d\\ude00\""));
    }

    @Test
    void nullIsNull() throws Exception {
        assertNull(JsonReader.parse("null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "\"open", "tru", "01x", "-", "1.",
        "{} {}", "\"\\x\"", "\"\\u12\"", "{1:2}", "\"tab\there\""})
    void refusesMalformedText(String text) {
        assertThrows(JsonSyntaxException.class, () -> JsonReader.parse(text));
    }

    @Test
    void refusesDeepNestingInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThrows(JsonSyntaxException.class, () -> JsonReader.parse(deep));
    }
}
