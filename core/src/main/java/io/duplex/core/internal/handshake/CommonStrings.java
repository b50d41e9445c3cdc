package io.duplex.core.internal.handshake;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The names and values most opening handshakes carry, as shared constants: a server keeps every connection's
 * request, and a field spelled exactly like one of these costs that request a reference instead of a string.
 */
final class CommonStrings {

    /** Compared exactly, case included: a field keeps its name as received. */
    private static final List<String> COMMON = List.of("/", "Host", "Upgrade", "websocket", "Connection",
            "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
            "permessage-deflate; client_max_window_bits", "permessage-deflate", "Origin", "User-Agent",
            "Cache-Control", "no-cache", "Pragma", "Accept-Encoding", "gzip, deflate, br, zstd", "gzip, deflate, br",
            "gzip, deflate", "Accept-Language", "Cookie", "Authorization", "Sec-WebSocket-Accept", "keep-alive, Upgrade",
            "upgrade", "Upgrade, HTTP2-Settings");

    private CommonStrings() {
    }

    /** The ISO-8859-1 text of {@code b[from, to)}: a shared constant when it is a common one. */
    static String of(byte[] b, int from, int to) {
        int n = to - from;
        for (String s : COMMON) {
            if (s.length() == n && matches(s, b, from)) {
                return s;
            }
        }
        return new String(b, from, n, StandardCharsets.ISO_8859_1);
    }

    private static boolean matches(String s, byte[] b, int from) {
        for (int i = 0; i < s.length(); i++) {
            if (b[from + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
