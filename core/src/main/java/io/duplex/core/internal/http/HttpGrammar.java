package io.duplex.core.internal.http;

/**
 * Character classes of the HTTP grammar (RFC 9110 §5.6) that the handshake parsers and writers share.
 * Public only so that the API package can reach it; this package is not exported.
 */
public final class HttpGrammar {

    /** Bit {@code c} is set when ASCII character {@code c} is a tchar (RFC 9110 §5.6.2). */
    private static final long TCHAR_LOW;
    private static final long TCHAR_HIGH;

    static {
        long low = 0;
        long high = 0;
        String specials = "!#$%&'*+-.^_`|~";
        for (int c = 0; c < 128; c++) {
            boolean t = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || specials.indexOf(c) >= 0;
            if (t && c < 64) {
                low |= 1L << c;
            } else if (t) {
                high |= 1L << (c - 64);
            }
        }
        TCHAR_LOW = low;
        TCHAR_HIGH = high;
    }

    private HttpGrammar() {
    }

    /** Whether {@code c} (a byte value 0–255 or a char) is a tchar. */
    public static boolean isTchar(int c) {
        if (c < 64) {
            return c >= 0 && (TCHAR_LOW & (1L << c)) != 0;
        }
        return c < 128 && (TCHAR_HIGH & (1L << (c - 64))) != 0;
    }

    /** Whether {@code s} is a non-empty token. */
    public static boolean isToken(CharSequence s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code c} is optional white space: SP or HTAB. */
    public static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Whether {@code c} may appear in a field value (RFC 9110 §5.5): HTAB, SP, VCHAR or obs-text. Every other
     * control (and DEL) is refused, as it can smuggle line breaks or confuse intermediaries.
     */
    public static boolean isFieldValueChar(int c) {
        return c == '\t' || c >= 0x20 && c != 0x7F && c <= 0xFF;
    }

    /** Appends {@code value} as a token when it is one, else as a quoted-string with {@code "} and {@code \} escaped. */
    public static void appendTokenOrQuoted(StringBuilder out, String value) {
        if (isToken(value)) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    /**
     * Whether any element of the comma-separated lists in {@code values} equals {@code token},
     * ignoring case and the optional white space around elements.
     */
    public static boolean listContains(Iterable<String> values, String token) {
        for (String v : values) {
            int start = 0;
            int n = v.length();
            while (start <= n) {
                int comma = v.indexOf(',', start);
                int end = comma < 0 ? n : comma;
                int s = start;
                int e = end;
                while (s < e && isWhitespace(v.charAt(s))) {
                    s++;
                }
                while (e > s && isWhitespace(v.charAt(e - 1))) {
                    e--;
                }
                if (e - s == token.length() && v.regionMatches(true, s, token, 0, token.length())) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }
}
