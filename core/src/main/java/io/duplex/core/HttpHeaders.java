package io.duplex.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The header fields of an opening-handshake request or response, in the order received. Names compare
 * case-insensitively (RFC 9110 §5.1); a name may occur more than once. Immutable.
 */
public final class HttpHeaders {

    private static final HttpHeaders EMPTY = new HttpHeaders(List.of(), List.of());

    private final List<String> names;
    private final List<String> values;

    private HttpHeaders(List<String> names, List<String> values) {
        this.names = names;
        this.values = values;
    }

    /** No headers. */
    public static HttpHeaders empty() {
        return EMPTY;
    }

    /** A builder for headers to send. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of fields. */
    public int size() {
        return names.size();
    }

    /** The name of field {@code i}, as received. */
    public String name(int i) {
        return names.get(i);
    }

    /** The value of field {@code i}, with surrounding white space removed. */
    public String value(int i) {
        return values.get(i);
    }

    /** Whether a field named {@code name} is present. */
    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /** The value of the first field named {@code name}, or {@code null}. */
    public String first(String name) {
        int i = indexOf(name);
        return i < 0 ? null : values.get(i);
    }

    /** The values of every field named {@code name}, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                out.add(values.get(i));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Whether any field named {@code name} holds {@code token} in its comma-separated list, compared
     * case-insensitively (as for {@code Connection: keep-alive, Upgrade}).
     */
    public boolean containsToken(String name, String token) {
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equalsIgnoreCase(name)) {
                continue;
            }
            String v = values.get(i);
            int start = 0;
            while (start <= v.length()) {
                int comma = v.indexOf(',', start);
                int end = comma < 0 ? v.length() : comma;
                if (v.substring(start, end).trim().equalsIgnoreCase(token)) {
                    return true;
                }
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
        }
        return false;
    }

    private int indexOf(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpHeaders other && other.names.equals(names) && other.values.equals(values);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(names.get(i)).append(": ").append(values.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    /** Builds {@link HttpHeaders}. Not thread-safe. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<String> values = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a field.
         *
         * @throws IllegalArgumentException if the name is not an HTTP token or the value holds CR, LF or NUL
         *     (which would let a value inject headers)
         */
        public Builder add(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty header name");
            }
            for (int i = 0; i < name.length(); i++) {
                if (!isTokenChar(name.charAt(i))) {
                    throw new IllegalArgumentException("header name is not a token: " + name);
                }
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                    throw new IllegalArgumentException("header value holds a forbidden character: " + name);
                }
            }
            names.add(name);
            values.add(value.strip());
            return this;
        }

        /** Adds every field of {@code headers}. */
        public Builder addAll(HttpHeaders headers) {
            for (int i = 0; i < headers.size(); i++) {
                add(headers.name(i), headers.value(i));
            }
            return this;
        }

        /** The headers. */
        public HttpHeaders build() {
            return names.isEmpty() ? EMPTY : new HttpHeaders(List.copyOf(names), List.copyOf(values));
        }
    }

    /** RFC 9110 §5.6.2 tchar. */
    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
