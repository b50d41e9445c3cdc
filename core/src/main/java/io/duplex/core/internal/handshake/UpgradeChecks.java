package io.duplex.core.internal.handshake;

import io.duplex.core.HandshakeException;
import io.duplex.core.HttpHeaders;
import io.duplex.core.internal.http.HttpGrammar;
import java.util.List;

/** The server's checks of a client's opening handshake (RFC 6455 §4.2.1), each failing with its HTTP status. */
public final class UpgradeChecks {

    /** The field a server validates and answers but does not keep (see {@link HttpHead#parse(byte[], int, int, String)}). */
    public static final String KEY = "Sec-WebSocket-Key";

    private UpgradeChecks() {
    }

    /**
     * Whether the request is a WebSocket handshake at all: its {@code Upgrade} names {@code websocket}, or it
     * carries a {@code Sec-WebSocket-Key} or {@code Sec-WebSocket-Version}. Anything else is plain HTTP for the
     * embedder to answer, including requests that offer another protocol ({@code Upgrade: h2c}, as the JDK's
     * HTTP client sends), which a server may ignore (RFC 9110 §7.8). {@code head} was parsed with {@link #KEY}
     * omitted, so the key counts by {@link HttpHead#omittedCount()}.
     */
    public static boolean asksForUpgrade(HttpHead head) {
        HttpHeaders h = head.headers();
        return h.containsToken("Upgrade", "websocket") || head.omittedCount() > 0
                || h.contains("Sec-WebSocket-Version");
    }

    /**
     * Checks an upgrade request whose head was parsed with {@link #KEY} omitted: the key is checked in place in
     * the head's bytes (from {@link HttpHead#omittedValueStart()} to {@link HttpHead#omittedValueEnd()}) rather
     * than made into a String.
     *
     * @throws HandshakeException 405 for a method other than GET; 505 for a version other than HTTP/1.1;
     *     400 for a body ({@code Transfer-Encoding}, non-zero {@code Content-Length}), a target not in
     *     origin-form, a missing, repeated or empty {@code Host}, an {@code Upgrade} without {@code websocket},
     *     a {@code Connection} without {@code upgrade}, a key that is not base64 of 16 bytes or is repeated;
     *     426 for a {@code Sec-WebSocket-Version} other than one {@code 13}
     */
    public static void validate(RequestLine line, HttpHead head) throws HandshakeException {
        HttpHeaders h = head.headers();
        if (!line.method().equals("GET")) {
            throw new HandshakeException(405, "the opening handshake must be a GET");
        }
        if (line.major() != 1 || line.minor() != 1) {
            throw new HandshakeException(505, "the opening handshake must be HTTP/1.1");
        }
        if (!line.targetIsPath()) {
            throw new HandshakeException(400, "request-target must be a path");
        }
        // The bytes behind the head are frames; a body would be read as frames (or smuggled as a request).
        // The queries below read the parsed bytes in place, as each request's garbage costs a server's heap.
        if (h.contains("Transfer-Encoding")
                || h.contains("Content-Length") && !h.hasSingle("Content-Length", "0")) {
            throw new HandshakeException(400, "the opening handshake must not have a body");
        }
        if (h.count("Host") != 1 || h.hasSingle("Host", "")) {
            throw new HandshakeException(400, "exactly one non-empty Host header is required");
        }
        // As a list element, trimmed of SP and HTAB: the parser refuses every other control in a value.
        if (!h.containsToken("Upgrade", "websocket")) {
            throw new HandshakeException(400, "Upgrade must name websocket");
        }
        if (!h.containsToken("Connection", "upgrade")) {
            throw new HandshakeException(400, "Connection must hold the upgrade option");
        }
        if (head.omittedCount() != 1
                || !AcceptKey.isValidKey(head.bytes(), head.omittedValueStart(), head.omittedValueEnd())) {
            throw new HandshakeException(400, "Sec-WebSocket-Key must be one base64 value of 16 bytes");
        }
        if (!h.hasSingle("Sec-WebSocket-Version", "13")) {
            throw new HandshakeException(426, "Sec-WebSocket-Version must be 13");
        }
    }

    /**
     * Checks the offered subprotocols ({@link io.duplex.core.HandshakeRequest#subprotocols()}): 400 when one is
     * not a token.
     */
    public static List<String> checkSubprotocols(List<String> offered) throws HandshakeException {
        // Indexed, not for-each: most requests offer none, and an iterator over nothing is still garbage.
        for (int i = 0; i < offered.size(); i++) {
            if (!HttpGrammar.isToken(offered.get(i))) {
                throw new HandshakeException(400, "Sec-WebSocket-Protocol element is not a token");
            }
        }
        return offered;
    }
}
