package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.deflate.PerMessageDeflate;
import java.util.List;
import java.util.Set;

/**
 * One combination of the permessage-deflate parameters of RFC 7692 §7.1, as an offer or a response.
 *
 * @param serverNoContextTakeover {@code server_no_context_takeover} (§7.1.1.1)
 * @param clientNoContextTakeover {@code client_no_context_takeover} (§7.1.1.2)
 * @param serverMaxWindowBits {@code server_max_window_bits} (§7.1.2.1), {@link #ABSENT} when not there
 * @param clientMaxWindowBits {@code client_max_window_bits} (§7.1.2.2), {@link #ABSENT} when not there,
 *     {@link #NO_VALUE} when there without a value (an offer only)
 */
record DeflateParams(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
        int clientMaxWindowBits) {

    static final int ABSENT = 0;
    static final int NO_VALUE = -1;
    private static final Set<String> KNOWN = Set.of("server_no_context_takeover", "client_no_context_takeover",
            "server_max_window_bits", "client_max_window_bits");

    /** The header value: {@code permessage-deflate} and the parameters present. */
    String header() {
        StringBuilder sb = new StringBuilder("permessage-deflate");
        if (serverNoContextTakeover) {
            sb.append("; server_no_context_takeover");
        }
        if (clientNoContextTakeover) {
            sb.append("; client_no_context_takeover");
        }
        if (serverMaxWindowBits != ABSENT) {
            sb.append("; server_max_window_bits=").append(serverMaxWindowBits);
        }
        if (clientMaxWindowBits == NO_VALUE) {
            sb.append("; client_max_window_bits");
        } else if (clientMaxWindowBits != ABSENT) {
            sb.append("; client_max_window_bits=").append(clientMaxWindowBits);
        }
        return sb.toString();
    }

    /** The same parameters as a response: {@code client_max_window_bits} without a value is left out (§7.1.2.2). */
    DeflateParams asResponse() {
        return new DeflateParams(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
                clientMaxWindowBits == NO_VALUE ? ABSENT : clientMaxWindowBits);
    }

    /** Our endpoint's settings that make exactly this offer as a client. */
    PerMessageDeflate asClientSettings() {
        return PerMessageDeflate.builder().threshold(0)
                .serverNoContextTakeover(serverNoContextTakeover).clientNoContextTakeover(clientNoContextTakeover)
                .serverMaxWindowBits(serverMaxWindowBits > 0 ? serverMaxWindowBits : 15)
                .clientMaxWindowBits(clientMaxWindowBits > 0 ? clientMaxWindowBits : 15).build();
    }

    /** The window the server compresses with. */
    int serverWindow() {
        return serverMaxWindowBits > 0 ? serverMaxWindowBits : 15;
    }

    /** The window the client compresses with. */
    int clientWindow() {
        return clientMaxWindowBits > 0 ? clientMaxWindowBits : 15;
    }

    /** Reads one permessage-deflate element, checking the syntax of §7.1 (known parameters, once, valid values). */
    static DeflateParams parse(String header, boolean response) {
        List<ExtensionElement> elements = ExtensionElement.parseAll(header);
        assertEquals(1, elements.size(), () -> "one extension element: " + header);
        ExtensionElement e = elements.get(0);
        assertEquals("permessage-deflate", e.name(), header);
        for (String[] p : e.parameters()) {
            assertTrue(KNOWN.contains(p[0]), () -> "unknown parameter " + p[0] + " in " + header);
            assertEquals(1, e.count(p[0]), () -> "parameter " + p[0] + " twice in " + header);
        }
        assertEquals(null, e.value("server_no_context_takeover"), "server_no_context_takeover has no value");
        assertEquals(null, e.value("client_no_context_takeover"), "client_no_context_takeover has no value");
        int serverBits = ABSENT;
        if (e.has("server_max_window_bits")) {
            assertNotNull(e.value("server_max_window_bits"), "server_max_window_bits needs a value (§7.1.2.1)");
            serverBits = bits(e.value("server_max_window_bits"));
        }
        int clientBits = ABSENT;
        if (e.has("client_max_window_bits")) {
            String v = e.value("client_max_window_bits");
            if (response) {
                assertNotNull(v, "client_max_window_bits in a response needs a value (§7.1.2.2)");
            }
            clientBits = v == null ? NO_VALUE : bits(v);
        }
        return new DeflateParams(e.has("server_no_context_takeover"), e.has("client_no_context_takeover"),
                serverBits, clientBits);
    }

    private static int bits(String value) {
        assertTrue(value.matches("[1-9][0-9]?"), () -> "window bits must be a decimal 8..15: " + value);
        int bits = Integer.parseInt(value);
        assertTrue(bits >= 8 && bits <= 15, () -> "window bits must be 8..15: " + value);
        return bits;
    }

    /**
     * Checks a server's response to this offer against §7.1: what was asked of the server is granted
     * (§7.1.1.1, §7.1.2.1: the same or a smaller window), and {@code client_max_window_bits} only where offered,
     * at most the offered value (§7.1.2.2).
     */
    void assertAcceptableResponse(DeflateParams response) {
        if (serverNoContextTakeover) {
            assertTrue(response.serverNoContextTakeover, "server_no_context_takeover offered, so granted (§7.1.1.1)");
        }
        if (serverMaxWindowBits != ABSENT) {
            assertTrue(response.serverMaxWindowBits != ABSENT && response.serverMaxWindowBits <= serverMaxWindowBits,
                    "server_max_window_bits answered with at most " + serverMaxWindowBits + " (§7.1.2.1): " + response);
        }
        if (response.clientMaxWindowBits != ABSENT) {
            assertTrue(clientMaxWindowBits != ABSENT, "client_max_window_bits answered but not offered (§7.1.2.2)");
            assertTrue(clientMaxWindowBits == NO_VALUE || response.clientMaxWindowBits <= clientMaxWindowBits,
                    "client_max_window_bits answered above the offer (§7.1.2.2): " + response);
        }
    }
}
