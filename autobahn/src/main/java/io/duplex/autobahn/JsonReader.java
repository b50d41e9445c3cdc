package io.duplex.autobahn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small RFC 8259 JSON reader for Autobahn's report files: objects become insertion-ordered {@link Map}s,
 * arrays {@link List}s, numbers {@link Double}s, and {@code null} a {@code null} value. It reads whole
 * documents already in memory; a report is a few hundred kilobytes.
 */
final class JsonReader {

    /** Nesting deeper than this is not a report; refusing it keeps recursion bounded. */
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /** Parses {@code text} as one JSON value, surrounded by nothing but whitespace. */
    static Object parse(String text) throws JsonSyntaxException {
        JsonReader reader = new JsonReader(text);
        Object value = reader.value(0);
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw reader.error("text after the value");
        }
        return value;
    }

    private Object value(int depth) throws JsonSyntaxException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected '" + c + "'");
        }
    }

    private Map<String, Object> object(int depth) throws JsonSyntaxException {
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (consume('}')) {
            return members;
        }
        do {
            skipWhitespace();
            if (pos >= text.length() || text.charAt(pos) != '"') {
                throw error("expected a member name");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            members.put(name, value(depth + 1));
            skipWhitespace();
        } while (consume(','));
        expect('}');
        return members;
    }

    private List<Object> array(int depth) throws JsonSyntaxException {
        pos++; // '['
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (consume(']')) {
            return elements;
        }
        do {
            elements.add(value(depth + 1));
            skipWhitespace();
        } while (consume(','));
        expect(']');
        return elements;
    }

    private String string() throws JsonSyntaxException {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> throw error("bad escape '\\" + e + "'");
            }
        }
        throw error("unterminated string");
    }

    private char hex4() throws JsonSyntaxException {
        if (pos + 4 > text.length()) {
            throw error("short \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos++), 16);
            if (d < 0) {
                throw error("bad hex digit in \\u escape");
            }
            v = v << 4 | d;
        }
        return (char) v;
    }

    private Double number() throws JsonSyntaxException {
        int start = pos;
        consume('-');
        if (!consume('0')) {
            digits();
        }
        if (consume('.')) {
            digits();
        }
        if (consume('e') || consume('E')) {
            if (!consume('+')) {
                consume('-');
            }
            digits();
        }
        return Double.valueOf(text.substring(start, pos));
    }

    private void digits() throws JsonSyntaxException {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw error("expected a digit");
        }
    }

    private Object literal(String word, Object value) throws JsonSyntaxException {
        if (!text.startsWith(word, pos)) {
            throw error("expected " + word);
        }
        pos += word.length();
        return value;
    }

    private boolean consume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws JsonSyntaxException {
        if (!consume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private JsonSyntaxException error(String what) {
        return new JsonSyntaxException(what + " at offset " + pos);
    }
}
