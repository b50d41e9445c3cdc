package io.duplex.core.internal.handshake;

import io.duplex.core.HandshakeException;
import io.duplex.core.internal.http.HttpGrammar;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 request line, {@code method SP request-target SP HTTP-version} (RFC 9112 §3), read strictly:
 * exactly one SP between the parts, a token method, a target of visible ASCII, and a version of the form
 * {@code HTTP/d.d}.
 *
 * <p>The request-target stays in the parsed bytes until asked for: a server copies it from there straight
 * into the request it keeps, so a String of it would be garbage.
 *
 * @param method the method token
 * @param bytes the bytes the line was parsed from, which must not change while the line is used
 * @param targetStart where the request-target starts in {@code bytes}
 * @param targetEnd where it ends
 * @param major the HTTP major version digit
 * @param minor the HTTP minor version digit
 */
public record RequestLine(String method, byte[] bytes, int targetStart, int targetEnd, int major, int minor) {

    /** Parses {@code b[0, end)}; 400 when malformed. */
    public static RequestLine parse(byte[] b, int end) throws HandshakeException {
        int i = 0;
        while (i < end && HttpGrammar.isTchar(b[i] & 0xFF)) {
            i++;
        }
        if (i == 0 || i == end || b[i] != ' ') {
            throw malformed();
        }
        // Every valid handshake is a GET: share the constant rather than decode a copy per request.
        String method = i == 3 && b[0] == 'G' && b[1] == 'E' && b[2] == 'T'
                ? "GET" : new String(b, 0, i, StandardCharsets.US_ASCII);
        int t = ++i;
        while (i < end && b[i] > 0x20 && b[i] < 0x7F) {
            i++;
        }
        if (i == t || i == end || b[i] != ' ') {
            throw malformed();
        }
        int targetEnd = i;
        i++;
        if (end - i != 8 || !HttpVersion.matches(b, i)) {
            throw malformed();
        }
        return new RequestLine(method, b, t, targetEnd, b[i + 5] - '0', b[i + 7] - '0');
    }

    /** The request-target as sent (visible ASCII, RFC 9112 §3.2); a shared string when it is just {@code /}. */
    public String target() {
        return CommonStrings.of(bytes, targetStart, targetEnd);
    }

    /** Whether the request-target is in origin-form, a path starting with {@code /} (RFC 9112 §3.2.1). */
    public boolean targetIsPath() {
        return bytes[targetStart] == '/';
    }

    private static HandshakeException malformed() {
        return new HandshakeException(400, "malformed request line");
    }
}
