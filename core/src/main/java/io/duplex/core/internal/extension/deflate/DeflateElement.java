package io.duplex.core.internal.extension.deflate;

import io.duplex.core.ExtensionOffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of one {@code permessage-deflate} element (RFC 7692 §7.1), checked against the grammar of
 * §7.1.1 and §7.1.2: the two {@code *_no_context_takeover} parameters carry no value, a window-bits value is
 * a decimal integer 8..15 without leading zeros, {@code server_max_window_bits} always has one, and
 * {@code client_max_window_bits} may come without one only in an offer.
 *
 * @param serverNoContextTakeover whether {@code server_no_context_takeover} is present
 * @param clientNoContextTakeover whether {@code client_no_context_takeover} is present
 * @param serverMaxWindowBits the value of {@code server_max_window_bits}, or {@link #ABSENT}
 * @param clientMaxWindowBits the value of {@code client_max_window_bits}, {@link #ABSENT}, or
 *     {@link #NO_VALUE} when it is present without a value (offers only)
 */
public record DeflateElement(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
        int serverMaxWindowBits, int clientMaxWindowBits) {

    /** The extension token. */
    public static final String NAME = "permessage-deflate";
    /** A window-bits parameter that is not in the element. */
    public static final int ABSENT = 0;
    /** {@code client_max_window_bits} present without a value. */
    public static final int NO_VALUE = -1;

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    /**
     * Reads an element's parameters. Duplicates cannot reach here: {@link ExtensionOffer#parse} rejects a
     * parameter named twice.
     *
     * @param response whether the element is a server's response (where every window size needs a value)
     * @throws IllegalArgumentException naming the first parameter that is unknown or has an invalid value
     */
    public static DeflateElement parse(ExtensionOffer element, boolean response) {
        if (!NAME.equals(element.name())) {
            throw new IllegalArgumentException("not " + NAME + ": " + element.name());
        }
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        int serverBits = ABSENT;
        int clientBits = ABSENT;
        for (Map.Entry<String, String> p : element.parameters().entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case SERVER_NO_CONTEXT_TAKEOVER -> serverNoContext = noValue(p.getKey(), value);
                case CLIENT_NO_CONTEXT_TAKEOVER -> clientNoContext = noValue(p.getKey(), value);
                case SERVER_MAX_WINDOW_BITS -> serverBits = windowBits(p.getKey(), value);
                case CLIENT_MAX_WINDOW_BITS ->
                        clientBits = value == null && !response ? NO_VALUE : windowBits(p.getKey(), value);
                default -> throw new IllegalArgumentException("unknown parameter " + p.getKey());
            }
        }
        return new DeflateElement(serverNoContext, clientNoContext, serverBits, clientBits);
    }

    /** The element as it goes on the wire, parameters in the order of RFC 7692 §7.1. */
    public ExtensionOffer toOffer() {
        Map<String, String> params = new LinkedHashMap<>();
        if (serverNoContextTakeover) {
            params.put(SERVER_NO_CONTEXT_TAKEOVER, null);
        }
        if (clientNoContextTakeover) {
            params.put(CLIENT_NO_CONTEXT_TAKEOVER, null);
        }
        if (serverMaxWindowBits != ABSENT) {
            params.put(SERVER_MAX_WINDOW_BITS, Integer.toString(serverMaxWindowBits));
        }
        if (clientMaxWindowBits != ABSENT) {
            params.put(CLIENT_MAX_WINDOW_BITS,
                    clientMaxWindowBits == NO_VALUE ? null : Integer.toString(clientMaxWindowBits));
        }
        return ExtensionOffer.of(NAME, params);
    }

    private static boolean noValue(String name, String value) {
        if (value != null) {
            throw new IllegalArgumentException(name + " takes no value");
        }
        return true;
    }

    /** RFC 7692 §7.1.2: 1*DIGIT, no leading zeros, 8..15. */
    private static int windowBits(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        boolean digits = !value.isEmpty() && value.length() <= 2 && value.charAt(0) != '0';
        for (int i = 0; digits && i < value.length(); i++) {
            digits = value.charAt(i) >= '0' && value.charAt(i) <= '9';
        }
        int bits = digits ? Integer.parseInt(value) : -1;
        if (bits < 8 || bits > 15) {
            throw new IllegalArgumentException(name + " must be 8..15: " + value);
        }
        return bits;
    }
}
