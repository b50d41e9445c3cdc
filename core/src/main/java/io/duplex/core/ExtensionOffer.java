package io.duplex.core;

import io.duplex.core.internal.http.ExtensionHeaderParser;
import io.duplex.core.internal.http.HeaderSyntaxException;
import io.duplex.core.internal.http.HttpGrammar;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1): an extension name and its
 * parameters in order, as offered by a client or answered by a server. A parameter without a value maps to
 * {@code null}. Immutable.
 */
public final class ExtensionOffer {

    private final String name;
    private final Map<String, String> parameters;

    private ExtensionOffer(String name, Map<String, String> parameters) {
        this.name = name;
        this.parameters = parameters;
    }

    /**
     * An element with the given name and parameters (iteration order kept).
     *
     * @param params parameter names to values; a {@code null} value means a parameter without a value
     * @throws IllegalArgumentException if the name or a parameter name is not a token, or a value holds a
     *     character a quoted-string cannot carry (a control other than HTAB, or above U+00FF)
     */
    public static ExtensionOffer of(String name, Map<String, String> params) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(params, "params");
        if (!HttpGrammar.isToken(name)) {
            throw new IllegalArgumentException("extension name is not a token: " + name);
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(params);
        for (Map.Entry<String, String> p : copy.entrySet()) {
            if (p.getKey() == null || !HttpGrammar.isToken(p.getKey())) {
                throw new IllegalArgumentException("extension parameter name is not a token: " + p.getKey());
            }
            String v = p.getValue();
            if (v != null) {
                for (int i = 0; i < v.length(); i++) {
                    if (!HttpGrammar.isFieldValueChar(v.charAt(i))) {
                        throw new IllegalArgumentException("extension parameter value holds a forbidden character");
                    }
                }
            }
        }
        return new ExtensionOffer(name, Collections.unmodifiableMap(copy));
    }

    /** An element without parameters. */
    public static ExtensionOffer of(String name) {
        return of(name, Map.of());
    }

    /**
     * Parses every {@code Sec-WebSocket-Extensions} field value of a message (each a comma-separated list)
     * strictly by the grammar of RFC 6455 §9.1 with the list and quoted-string rules of RFC 9110 §5.6:
     * optional white space is allowed around {@code ,}, {@code ;} and {@code =}; a quoted value must unescape
     * to a token; empty list elements, a parameter named twice in one element, more than {@code maxOffers}
     * elements or more than {@code maxParams} parameters in one element are errors.
     *
     * @return the elements in order of appearance
     * @throws HandshakeException with status 400 on any violation
     */
    public static List<ExtensionOffer> parse(List<String> headerValues, int maxOffers, int maxParams)
            throws HandshakeException {
        try {
            return ExtensionHeaderParser.parse(headerValues, maxOffers, maxParams, ExtensionOffer::of);
        } catch (HeaderSyntaxException e) {
            throw new HandshakeException(400, e.getMessage());
        }
    }

    /** The extension token. */
    public String name() {
        return name;
    }

    /** The parameters in order; unmodifiable; a {@code null} value stands for a parameter without a value. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** The wire form, {@code name; p1; p2=v}, with values that are not tokens quoted. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            sb.append("; ").append(p.getKey());
            if (p.getValue() != null) {
                sb.append('=');
                HttpGrammar.appendTokenOrQuoted(sb, p.getValue());
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionOffer other && other.name.equals(name)
                && List.copyOf(other.parameters.entrySet()).equals(List.copyOf(parameters.entrySet()));
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + parameters.hashCode();
    }
}
