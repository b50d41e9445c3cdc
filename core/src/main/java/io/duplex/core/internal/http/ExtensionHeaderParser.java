package io.duplex.core.internal.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Strict recursive-descent parser of {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1):
 * <pre>
 *   extension-list  = 1#extension
 *   extension       = extension-token *( OWS ";" OWS extension-param )
 *   extension-param = token [ OWS "=" OWS ( token / quoted-string ) ]
 * </pre>
 * A cursor walks each value once; nothing backtracks, so the cost is linear in the input.
 * Each element becomes a value through the function the caller gives ({@code ExtensionOffer::of}), so this
 * parser knows nothing of the API type it serves.
 */
public final class ExtensionHeaderParser {

    private final String s;
    private final boolean dropDuplicates;
    private int pos;

    private ExtensionHeaderParser(String s, boolean dropDuplicates) {
        this.s = s;
        this.dropDuplicates = dropDuplicates;
    }

    /** See {@code ExtensionOffer.parse}: an element that names a parameter twice is an error. */
    public static <T> List<T> parse(List<String> headerValues, int maxOffers, int maxParams,
            BiFunction<String, Map<String, String>, T> element) throws HeaderSyntaxException {
        return parse(headerValues, maxOffers, maxParams, false, element);
    }

    /**
     * A server's reading of a client's offers: an element that names a parameter twice is left out rather than
     * failing the handshake, because RFC 7692 §7.1 has the server decline such an offer (and take the next).
     * The grammar allows it (RFC 6455 §9.1); only its meaning is undefined.
     */
    public static <T> List<T> parseOffers(List<String> headerValues, int maxOffers, int maxParams,
            BiFunction<String, Map<String, String>, T> element) throws HeaderSyntaxException {
        return parse(headerValues, maxOffers, maxParams, true, element);
    }

    private static <T> List<T> parse(List<String> headerValues, int maxOffers, int maxParams,
            boolean dropDuplicates, BiFunction<String, Map<String, String>, T> element) throws HeaderSyntaxException {
        List<T> out = new ArrayList<>();
        for (String value : headerValues) {
            new ExtensionHeaderParser(value, dropDuplicates).list(out, maxOffers, maxParams, element);
        }
        return out;
    }

    private <T> void list(List<T> out, int maxOffers, int maxParams,
            BiFunction<String, Map<String, String>, T> element) throws HeaderSyntaxException {
        while (true) {
            skipWhitespace();
            String name = token("an extension name (empty list elements are not allowed)");
            Map<String, String> params = new LinkedHashMap<>();
            boolean duplicated = false;
            int elements = out.size();
            skipWhitespace();
            while (peek() == ';') {
                pos++;
                skipWhitespace();
                String param = token("a parameter name");
                skipWhitespace();
                String value = null;
                if (peek() == '=') {
                    pos++;
                    skipWhitespace();
                    value = peek() == '"' ? quotedToken() : token("a parameter value");
                    skipWhitespace();
                }
                if (params.containsKey(param)) {
                    if (!dropDuplicates) {
                        throw error("parameter " + param + " given twice in " + name);
                    }
                    duplicated = true;
                }
                if (params.size() == maxParams) {
                    throw error("more than " + maxParams + " parameters in " + name);
                }
                params.put(param, value);
            }
            if (elements == maxOffers) {
                throw error("more than " + maxOffers + " extension elements");
            }
            if (!duplicated) {
                out.add(element.apply(name, params));
            }
            if (pos == s.length()) {
                return;
            }
            if (peek() != ',') {
                throw error("unexpected character at " + pos);
            }
            pos++;
        }
    }

    private int peek() {
        return pos < s.length() ? s.charAt(pos) : -1;
    }

    private void skipWhitespace() {
        while (pos < s.length() && HttpGrammar.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private String token(String what) throws HeaderSyntaxException {
        int start = pos;
        while (pos < s.length() && HttpGrammar.isTchar(s.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error("expected " + what + " at " + start);
        }
        return s.substring(start, pos);
    }

    /** A quoted-string (RFC 9110 §5.6.4) whose unescaped content must be a token (RFC 6455 §9.1). */
    private String quotedToken() throws HeaderSyntaxException {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                if (!HttpGrammar.isToken(sb)) {
                    throw error("quoted parameter value is not a token once unescaped, at " + start);
                }
                return sb.toString();
            }
            if (c == '\\') {
                if (pos == s.length()) {
                    break;
                }
                c = s.charAt(pos++);
            }
            if (!HttpGrammar.isFieldValueChar(c)) {
                throw error("forbidden character in quoted-string at " + (pos - 1));
            }
            sb.append(c);
        }
        throw error("unterminated quoted-string at " + start);
    }

    private static HeaderSyntaxException error(String message) {
        return new HeaderSyntaxException("Sec-WebSocket-Extensions: " + message);
    }
}
