package io.duplex.core.handshake;

import io.duplex.core.HandshakeException;
import io.duplex.core.HandshakeRequest;
import io.duplex.core.HttpHeaders;
import java.util.List;

/** The server's checks of a client's opening handshake (RFC 6455 §4.2.1), each failing with its HTTP status. */
public final class UpgradeRequest {

    private UpgradeRequest() {
    }

    /**
     * Whether the request is a WebSocket handshake at all: its {@code Upgrade} names {@code websocket}, or it
     * carries a {@code Sec-WebSocket-Key} or {@code Sec-WebSocket-Version}. Anything else is plain HTTP for the
     * embedder to answer, including requests that offer another protocol ({@code Upgrade: h2c}, as the JDK's
     * HTTP client sends), which a server may ignore (RFC 9110 §7.8).
     */
    public static boolean asksForUpgrade(HttpHeaders h) {
        return h.containsToken("Upgrade", "websocket") || h.contains("Sec-WebSocket-Key")
                || h.contains("Sec-WebSocket-Version");
    }

    /**
     * Checks an upgrade request.
     *
     * @return the {@code Sec-WebSocket-Key}
     * @throws HandshakeException 405 for a method other than GET; 505 for a version other than HTTP/1.1;
     *     400 for a body ({@code Transfer-Encoding}, non-zero {@code Content-Length}), a target not in origin-form, a missing, repeated or empty {@code Host}, an {@code Upgrade}
     *     without {@code websocket}, a {@code Connection} without {@code upgrade}, a key that is not base64 of
     *     16 bytes or is repeated; 426 for a {@code Sec-WebSocket-Version} other than one {@code 13}
     */
    public static String validate(RequestLine line, HttpHeaders h) throws HandshakeException {
        if (!line.method().equals("GET")) {
            throw new HandshakeException(405, "the opening handshake must be a GET");
        }
        if (line.major() != 1 || line.minor() != 1) {
            throw new HandshakeException(505, "the opening handshake must be HTTP/1.1");
        }
        if (line.target().charAt(0) != '/') {
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
        String key = h.count("Sec-WebSocket-Key") == 1 ? h.first("Sec-WebSocket-Key") : null;
        if (key == null || !AcceptKey.isValidKey(key)) {
            throw new HandshakeException(400, "Sec-WebSocket-Key must be one base64 value of 16 bytes");
        }
        if (!h.hasSingle("Sec-WebSocket-Version", "13")) {
            throw new HandshakeException(426, "Sec-WebSocket-Version must be 13");
        }
        return key;
    }

    /** The offered subprotocols, in the client's order; 400 when one is not a token. */
    public static List<String> subprotocols(HandshakeRequest request) throws HandshakeException {
        List<String> offered = request.subprotocols();
        for (String p : offered) {
            if (!HttpGrammar.isToken(p)) {
                throw new HandshakeException(400, "Sec-WebSocket-Protocol element is not a token");
            }
        }
        return offered;
    }
}
