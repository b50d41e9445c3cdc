package io.duplex.nio;

import io.duplex.core.HandshakeRequest;
import io.duplex.core.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The body of a plain HTTP request, read after its head so that nothing is left unread in the socket (which
 * would turn the server's close into a reset and lose its response). Only {@code Content-Length} framing is
 * read, up to a limit checked against the declared length before anything is kept; the buffer grows with
 * the bytes that arrive, not with the length the peer declared. Loop thread only.
 */
final class RequestBody {

    private static final byte[] EMPTY = new byte[0];
    /** The first buffer for a body; it doubles as bytes arrive, up to the declared length. */
    private static final int FIRST_CHUNK = 1024;

    /** The request line and headers the body follows. */
    private final HandshakeRequest head;
    private final int length;
    private byte[] bytes;
    private int received;

    private RequestBody(HandshakeRequest head, int length) {
        this.head = head;
        this.length = length;
        this.bytes = length == 0 ? EMPTY : new byte[Math.min(length, FIRST_CHUNK)];
    }

    /**
     * The reader for {@code head}'s body, or the error response when it cannot be read: 411 for a body
     * without {@code Content-Length} (chunked), 400 for a malformed or contradictory length, 413 for one over
     * {@code maxBytes}.
     */
    static Object start(HandshakeRequest head, int maxBytes) {
        HttpHeaders headers = head.headers();
        if (headers.contains("Transfer-Encoding")) {
            return HttpResponse.text(411, "Length Required",
                    "A request body needs Content-Length: Transfer-Encoding is not accepted here.\n");
        }
        List<String> lengths = headers.all("Content-Length");
        if (lengths.isEmpty()) {
            return new RequestBody(head, 0);
        }
        long declared = -1;
        for (String field : lengths) {
            for (String v : field.split(",")) {
                long n = parse(v.trim());
                if (n < 0 || (declared >= 0 && n != declared)) {
                    return HttpResponse.text(400, "Bad Request", "Invalid Content-Length.\n");
                }
                declared = n;
            }
        }
        if (declared > maxBytes) {
            return HttpResponse.text(413, "Content Too Large",
                    "The request body is larger than " + maxBytes + " bytes.\n");
        }
        return new RequestBody(head, (int) declared);
    }

    /** Digits only (RFC 9110 §8.6), at most 18 of them so the value fits a long; -1 otherwise. */
    private static long parse(String v) {
        if (v.isEmpty() || v.length() > 18) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(v);
    }

    /** Takes what {@code in} holds of the body; returns whether the body is complete. Bytes past it are left. */
    boolean read(ByteBuffer in) {
        int n = Math.min(in.remaining(), length - received);
        if (received + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(length, Math.max(2L * bytes.length, received + n)));
        }
        in.get(bytes, received, n);
        received += n;
        return received == length;
    }

    /** The request line and headers this body follows. */
    HandshakeRequest head() {
        return head;
    }

    /** The body, once {@link #read} said it is complete. */
    byte[] bytes() {
        return bytes;
    }
}
