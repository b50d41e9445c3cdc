package io.duplex.core;

import io.duplex.core.handshake.FieldBlock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The header fields of an opening-handshake request or response, in the order received. Names compare
 * case-insensitively (RFC 9110 §5.1); a name may occur more than once. Immutable.
 *
 * <p>The fields are kept as one array of ISO-8859-1 bytes and names and values are decoded when asked for:
 * a server keeps every connection's request for {@link WebSocket#handshakeRequest()}, and one array costs a
 * fraction of a {@code String} per name and per value. Lookups by name allocate nothing but their result.
 */
public final class HttpHeaders {

    /** Ends a name: names are tokens, which hold no colon. */
    private static final byte COLON = ':';
    /** Ends a field: values hold no line feed (the builder and the parser both refuse it). */
    private static final byte LF = '\n';
    /** Separates the elements of a list-valued field. */
    private static final byte COMMA = ',';

    private static final HttpHeaders EMPTY = new HttpHeaders(new byte[0]);

    static {
        // The request parser builds the field array itself; this lets it wrap the array without a copy.
        FieldBlock.install(HttpHeaders::new);
    }

    /** Every field as {@code name:value\n}, the value without surrounding white space, from {@link #from} to the end. */
    private final byte[] fields;
    /** Where the first field starts: a {@link HandshakeRequest} keeps its request-target in front of them. */
    private final int from;

    private HttpHeaders(byte[] fields) {
        this(fields, 0);
    }

    /** A view of the fields in {@code fields} from {@code from} to its end; the array must not change. */
    HttpHeaders(byte[] fields, int from) {
        this.fields = fields;
        this.from = from;
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
        int n = 0;
        for (int i = from; i < fields.length; i++) {
            if (fields[i] == LF) {
                n++;
            }
        }
        return n;
    }

    /**
     * The name of field {@code i}, as received.
     *
     * @throws IndexOutOfBoundsException if {@code i} is not below {@link #size()}
     */
    public String name(int i) {
        int start = fieldStart(i);
        return text(start, nameEnd(start));
    }

    /**
     * The value of field {@code i}, with surrounding white space removed.
     *
     * @throws IndexOutOfBoundsException if {@code i} is not below {@link #size()}
     */
    public String value(int i) {
        int start = fieldStart(i);
        return text(nameEnd(start) + 1, fieldEnd(start));
    }

    /** Whether a field named {@code name} is present. */
    public boolean contains(String name) {
        return next(from, name) >= 0;
    }

    /** The value of the first field named {@code name}, or {@code null}. */
    public String first(String name) {
        int start = next(from, name);
        return start < 0 ? null : text(nameEnd(start) + 1, fieldEnd(start));
    }

    /** The number of fields named {@code name}; allocates nothing. */
    public int count(String name) {
        int n = 0;
        for (int s = next(from, name); s >= 0; s = next(fieldEnd(s) + 1, name)) {
            n++;
        }
        return n;
    }

    /**
     * Whether exactly one field is named {@code name} and its value is {@code value}, compared exactly (as
     * {@link String#equals}); allocates nothing.
     */
    public boolean hasSingle(String name, String value) {
        int s = next(from, name);
        if (s < 0 || value == null) {
            return false;
        }
        int end = fieldEnd(s);
        if (next(end + 1, name) >= 0) {
            return false;
        }
        int v = nameEnd(s) + 1;
        if (end - v != value.length()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if ((fields[v + i] & 0xFF) != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The values of every field named {@code name}, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int s = next(from, name); s >= 0; s = next(fieldEnd(s) + 1, name)) {
            out.add(text(nameEnd(s) + 1, fieldEnd(s)));
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
        for (int s = next(from, name); s >= 0; s = next(fieldEnd(s) + 1, name)) {
            int end = fieldEnd(s);
            int from = nameEnd(s) + 1;
            while (true) {
                int comma = indexOf(COMMA, from, end);
                int to = comma < 0 ? end : comma;
                if (elementEquals(from, to, token)) {
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

    /** A list element {@code [from, to)} equals {@code token} once trimmed as {@link String#trim()} trims. */
    private boolean elementEquals(int from, int to, String token) {
        while (from < to && (fields[from] & 0xFF) <= ' ') {
            from++;
        }
        while (to > from && (fields[to - 1] & 0xFF) <= ' ') {
            to--;
        }
        return equalsIgnoreCase(from, to, token);
    }

    /** The start of the first field at or after {@code from} named {@code name}, or -1. */
    private int next(int from, String name) {
        if (name == null) {
            return -1;
        }
        for (int s = from; s < fields.length; s = fieldEnd(s) + 1) {
            if (equalsIgnoreCase(s, nameEnd(s), name)) {
                return s;
            }
        }
        return -1;
    }

    /** Bytes {@code [from, to)} equal {@code s} ignoring case, char by char as {@link String#equalsIgnoreCase}. */
    private boolean equalsIgnoreCase(int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char a = (char) (fields[from + i] & 0xFF);
            char b = s.charAt(i);
            if (a == b) {
                continue;
            }
            char ua = Character.toUpperCase(a);
            char ub = Character.toUpperCase(b);
            if (ua != ub && Character.toLowerCase(ua) != Character.toLowerCase(ub)) {
                return false;
            }
        }
        return true;
    }

    private int fieldStart(int i) {
        if (i < 0) {
            throw new IndexOutOfBoundsException(i);
        }
        int s = from;
        for (int k = 0; k < i; k++) {
            if (s >= fields.length) {
                break;
            }
            s = fieldEnd(s) + 1;
        }
        if (s >= fields.length) {
            throw new IndexOutOfBoundsException("field " + i + " of " + size());
        }
        return s;
    }

    private int nameEnd(int start) {
        return indexOf(COLON, start, fields.length);
    }

    private int fieldEnd(int start) {
        return indexOf(LF, start, fields.length);
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (fields[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private String text(int from, int to) {
        return new String(fields, from, to - from, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpHeaders other
                && Arrays.equals(other.fields, other.from, other.fields.length, fields, from, fields.length);
    }

    @Override
    public int hashCode() {
        // As Arrays.hashCode of the fields alone, so a view hashes as a copy of its fields would.
        int h = 1;
        for (int i = from; i < fields.length; i++) {
            h = 31 * h + fields[i];
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(fields.length - from + 2 * size());
        for (int s = from; s < fields.length; s = fieldEnd(s) + 1) {
            int colon = nameEnd(s);
            sb.append(text(s, colon)).append(": ").append(text(colon + 1, fieldEnd(s))).append("\r\n");
        }
        return sb.toString();
    }

    /**
     * The array under this view: a {@link HandshakeRequest} made by the request parser writes its
     * request-target into the bytes in front of {@link #from()}, which this view never reads.
     */
    byte[] array() {
        return fields;
    }

    /** Where the fields start in {@link #array()}. */
    int from() {
        return from;
    }

    /** The length of these fields written as HTTP field lines, {@code name: value CR LF} each. */
    int wireLength() {
        // Each name:value\n gains a space after the colon and a CR before the LF.
        return fields.length - from + 2 * size();
    }

    /** Builds {@link HttpHeaders}. Not thread-safe. */
    public static final class Builder {
        private byte[] bytes = new byte[64];
        private int length;

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
            String v = value.strip();
            room(name.length() + v.length() + 2);
            length = latin1(name, bytes, length);
            bytes[length++] = COLON;
            length = latin1(v, bytes, length);
            bytes[length++] = LF;
            return this;
        }

        /** Adds every field of {@code headers}. */
        public Builder addAll(HttpHeaders headers) {
            // Its fields were checked when added: copy them as they are.
            int n = headers.fields.length - headers.from;
            room(n);
            System.arraycopy(headers.fields, headers.from, bytes, length, n);
            length += n;
            return this;
        }

        /** The headers. */
        public HttpHeaders build() {
            return length == 0 ? EMPTY : new HttpHeaders(Arrays.copyOf(bytes, length));
        }

        private void room(int n) {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
        }

        /** Writes {@code s}, whose chars are all below 0x100, as ISO-8859-1 at {@code at}; returns the end. */
        private static int latin1(String s, byte[] to, int at) {
            for (int i = 0; i < s.length(); i++) {
                to[at++] = (byte) s.charAt(i);
            }
            return at;
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
