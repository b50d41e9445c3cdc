package io.duplex.core.internal.handshake;

/** The HTTP-version syntax {@code "HTTP/" DIGIT "." DIGIT} (RFC 9112 §2.3), shared by request and status lines. */
final class HttpVersion {

    private HttpVersion() {
    }

    /** Whether the 8 bytes at {@code b[i]} spell an HTTP-version. */
    static boolean matches(byte[] b, int i) {
        return b[i] == 'H' && b[i + 1] == 'T' && b[i + 2] == 'T' && b[i + 3] == 'P' && b[i + 4] == '/'
                && isDigit(b[i + 5]) && b[i + 6] == '.' && isDigit(b[i + 7]);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
