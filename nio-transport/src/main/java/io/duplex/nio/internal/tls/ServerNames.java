package io.duplex.nio.internal.tls;

import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;

/** The RFC 6066 server_name a client sends: host names only, never IP literals. */
final class ServerNames {

    private ServerNames() {
    }

    /** The SNI list for {@code host}: empty for IP literals and names SNI cannot carry. */
    static List<SNIServerName> forHost(String host) {
        if (host == null || host.isEmpty() || isIpLiteral(host)) {
            return List.of();
        }
        // RFC 6066 section 3: "HostName" is sent without a trailing dot.
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return List.of(new SNIHostName(name));
        } catch (IllegalArgumentException notAHostName) {
            // For example an underscore: still connectable, verified by peer host, just not announced.
            return List.of();
        }
    }

    /** Decided from the characters alone, because resolving the name would block on DNS. */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true; // IPv6, possibly bracketed or with a zone
        }
        int parts = 0;
        int digits = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                parts++;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                digits++;
            } else {
                return false;
            }
        }
        return digits > 0 && parts == 3;
    }
}
