package io.duplex.core.internal.http;

import java.util.List;

/**
 * The header fields the handshake writes itself. Letting an application add them would produce a second,
 * conflicting copy (two keys, two accepts, a framing length that lies), so they are refused up front.
 */
public final class ReservedHeaders {

    /** Fields of the upgrade request and of the 101 response. */
    private static final List<String> HANDSHAKE = List.of("Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
            "Sec-WebSocket-Version", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
            "Content-Length", "Transfer-Encoding");

    /** Fields that frame a response with a body. */
    private static final List<String> FRAMING = List.of("Content-Length", "Transfer-Encoding");

    /** Fields of a response that closes the connection after its body. */
    private static final List<String> CLOSING = List.of("Connection", "Content-Length", "Transfer-Encoding");

    private ReservedHeaders() {
    }

    /** Refuses {@code name} when the handshake writes it; compared case-insensitively. */
    public static void checkHandshake(String name) {
        check(HANDSHAKE, name);
    }

    /** Refuses a field {@code name} that frames a response body ({@code Content-Length} ...). */
    public static void checkFraming(String name) {
        check(FRAMING, name);
    }

    /** Refuses a field {@code name} that frames a body or says whether the connection closes. */
    public static void checkClosing(String name) {
        check(CLOSING, name);
    }

    private static void check(List<String> reserved, String name) {
        for (String r : reserved) {
            if (r.equalsIgnoreCase(name)) {
                throw new IllegalArgumentException(r + " is written by the handshake and cannot be set");
            }
        }
    }
}
