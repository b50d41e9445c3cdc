package io.duplex.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The header fields of an opening-handshake request or response, in the order received: a list of name and
 * value pairs, so reading field {@code i} costs the same for every {@code i}. Names compare case-insensitively
 * (RFC 9110 §5.1); a name may occur more than once. Immutable.
 *
 * <p>Values are kept without surrounding white space. Lookups by name allocate nothing but their result.
 */
public final class HttpHeaders {

    private static final HttpHeaders EMPTY = new HttpHeaders(new String[0]);

    /** Name of field 0, its value, name of field 1, its value, and so on; checked, never changed. */
    private final String[] namesAndValues;

    private HttpHeaders(String[] namesAndValues) {
        this.namesAndValues = namesAndValues;
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
        return namesAndValues.length / 2;
    }

    /**
     * The name of field {@code i}, as received.
     *
     * @throws IndexOutOfBoundsException if {@code i} is not below {@link #size()}
     */
    public String name(int i) {
        return namesAndValues[2 * checkIndex(i)];
    }

    /**
     * The value of field {@code i}, with surrounding white space removed.
     *
     * @throws IndexOutOfBoundsException if {@code i} is not below {@link #size()}
     */
    public String value(int i) {
        return namesAndValues[2 * checkIndex(i) + 1];
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("field " + i + " of " + size());
        }
        return i;
    }

    /** Whether a field named {@code name} is present. */
    public boolean contains(String name) {
        return next(0, name) >= 0;
    }

    /** The value of the first field named {@code name}, or {@code null}. */
    public String first(String name) {
        int at = next(0, name);
        return at < 0 ? null : namesAndValues[at + 1];
    }

    /** The number of fields named {@code name}; allocates nothing. */
    public int count(String name) {
        int n = 0;
        for (int at = next(0, name); at >= 0; at = next(at + 2, name)) {
            n++;
        }
        return n;
    }

    /**
     * Whether exactly one field is named {@code name} and its value is {@code value}, compared exactly (as
     * {@link String#equals}); allocates nothing.
     */
    public boolean hasSingle(String name, String value) {
        int at = next(0, name);
        return at >= 0 && value != null && next(at + 2, name) < 0 && namesAndValues[at + 1].equals(value);
    }

    /** The values of every field named {@code name}, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int at = next(0, name); at >= 0; at = next(at + 2, name)) {
            out.add(namesAndValues[at + 1]);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Whether any field named {@code name} holds {@code token} in its comma-separated list, compared
     * case-insensitively (as for {@code Connection: keep-alive, Upgrade}).
     */
    public boolean containsToken(String name, String token) {
        if (token == null) {
            return false;
        }
        for (int at = next(0, name); at >= 0; at = next(at + 2, name)) {
            String value = namesAndValues[at + 1];
            int from = 0;
            while (true) {
                int comma = value.indexOf(',', from);
                int to = comma < 0 ? value.length() : comma;
                if (elementEquals(value, from, to, token)) {
                    return true;
                }
                if (comma < 0) {
                    break;
                }
                from = comma + 1;
            }
        }
        return false;
    }

    /** A list element {@code value[from, to)} equals {@code token} once trimmed as {@link String#trim()} trims. */
    private static boolean elementEquals(String value, int from, int to, String token) {
        while (from < to && value.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && value.charAt(to - 1) <= ' ') {
            to--;
        }
        return to - from == token.length() && value.regionMatches(true, from, token, 0, to - from);
    }

    /** The index in {@link #namesAndValues} of the first field at or after {@code at} named {@code name}, or -1. */
    private int next(int at, String name) {
        if (name == null) {
            return -1;
        }
        for (int i = at; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpHeaders other && Arrays.equals(other.namesAndValues, namesAndValues);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(namesAndValues);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(wireLength());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            sb.append(namesAndValues[i]).append(": ").append(namesAndValues[i + 1]).append("\r\n");
        }
        return sb.toString();
    }

    /** The length of these fields written as HTTP field lines, {@code name: value CR LF} each. */
    int wireLength() {
        int n = 0;
        for (String s : namesAndValues) {
            n += s.length() + 2;
        }
        return n;
    }

    /** Builds {@link HttpHeaders}. Not thread-safe. */
    public static final class Builder {
        private String[] namesAndValues = new String[16];
        private int length;

        private Builder() {
        }

        /**
         * Adds a field.
         *
         * @throws IllegalArgumentException if the name is not an HTTP token or the value holds CR, LF or NUL
         *     (which would let a value inject headers) or a char above U+00FF
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
            put(name, value.strip());
            return this;
        }

        /** Adds every field of {@code headers}. */
        public Builder addAll(HttpHeaders headers) {
            // Its fields were checked when added: take them as they are.
            for (int i = 0; i < headers.namesAndValues.length; i += 2) {
                put(headers.namesAndValues[i], headers.namesAndValues[i + 1]);
            }
            return this;
        }

        private void put(String name, String value) {
            if (length + 2 > namesAndValues.length) {
                namesAndValues = Arrays.copyOf(namesAndValues, 2 * namesAndValues.length);
            }
            namesAndValues[length++] = name;
            namesAndValues[length++] = value;
        }

        /** The headers. */
        public HttpHeaders build() {
            return length == 0 ? EMPTY : new HttpHeaders(Arrays.copyOf(namesAndValues, length));
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
