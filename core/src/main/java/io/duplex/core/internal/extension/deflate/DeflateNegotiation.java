package io.duplex.core.internal.extension.deflate;

import static io.duplex.core.internal.extension.deflate.DeflateElement.ABSENT;
import static io.duplex.core.internal.extension.deflate.DeflateElement.NO_VALUE;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakeException;
import java.util.List;

/**
 * The permessage-deflate negotiation of RFC 7692 §7.1 for both roles, under the settings of one
 * {@code PerMessageDeflate} ({@link DeflateSettings}): the server's choice among offers, the client's offer and its check of the
 * response. Each side ends with the parameters it compresses and decompresses with.
 */
public final class DeflateNegotiation {

    private static final int MAX_BITS = 15;

    private final DeflateSettings settings;
    private final List<ExtensionOffer> offers;
    private final ZlibPools pools;

    public DeflateNegotiation(DeflateSettings settings) {
        this.settings = settings;
        this.pools = new ZlibPools(settings.level(), settings.poolSize());
        this.offers = List.of(clientOffer().toOffer());
    }

    /**
     * Server: the first acceptable offer in the client's order, as an extension whose {@code negotiated()} is
     * the response; null when every offer is declined (§7.1: unknown parameter, invalid value, or a request
     * this side's settings refuse).
     */
    public Extension accept(List<ExtensionOffer> offered) {
        for (ExtensionOffer o : offered) {
            DeflateElement offer;
            try {
                offer = DeflateElement.parse(o, false);
            } catch (IllegalArgumentException declined) {
                continue;
            }
            if (offer.serverMaxWindowBits() != ABSENT && offer.serverMaxWindowBits() < MAX_BITS
                    && !settings.acceptServerMaxWindowBits()) {
                continue;
            }
            if (offer.serverNoContextTakeover() && !settings.acceptServerNoContextTakeover()) {
                continue;
            }
            return respond(offer);
        }
        return null;
    }

    private Extension respond(DeflateElement offer) {
        // §7.1.2.1: a server_max_window_bits in the offer must be answered with the same or a smaller value.
        int serverBits = offer.serverMaxWindowBits() == ABSENT ? settings.serverMaxWindowBits()
                : Math.min(offer.serverMaxWindowBits(), settings.serverMaxWindowBits());
        boolean sayServerBits = offer.serverMaxWindowBits() != ABSENT || serverBits < MAX_BITS;
        // §7.1.2.2: client_max_window_bits may be answered only when offered, with at most the offered value.
        int clientBits = MAX_BITS;
        if (offer.clientMaxWindowBits() != ABSENT) {
            int offeredBits = offer.clientMaxWindowBits() == NO_VALUE ? MAX_BITS : offer.clientMaxWindowBits();
            clientBits = Math.min(offeredBits, settings.clientMaxWindowBits());
        }
        boolean serverNoContext = offer.serverNoContextTakeover() || settings.serverNoContextTakeover();
        boolean clientNoContext = offer.clientNoContextTakeover() || settings.clientNoContextTakeover();
        DeflateElement response = new DeflateElement(serverNoContext, clientNoContext,
                sayServerBits ? serverBits : ABSENT, clientBits < MAX_BITS ? clientBits : ABSENT);
        return new PerMessageDeflateExtension(response.toOffer(), pools, settings.threshold(),
                serverBits, serverNoContext, clientNoContext, clientBits, settings.idleRelease());
    }

    /** Client: the one element offered. */
    public List<ExtensionOffer> offers() {
        return offers;
    }

    private DeflateElement clientOffer() {
        int serverBits = settings.serverMaxWindowBits();
        int clientBits = settings.clientMaxWindowBits();
        return new DeflateElement(settings.serverNoContextTakeover(), settings.clientNoContextTakeover(),
                serverBits < MAX_BITS ? serverBits : ABSENT, clientBits < MAX_BITS ? clientBits : NO_VALUE);
    }

    /**
     * Client: checks the server's response against the offer (§7.1: a parameter not defined for a response,
     * an invalid value, or a configuration the offer did not allow fails the connection).
     *
     * @throws HandshakeException with status 0 when the response is unacceptable
     */
    public Extension accepted(ExtensionOffer element) throws HandshakeException {
        DeflateElement response;
        try {
            response = DeflateElement.parse(element, true);
        } catch (IllegalArgumentException e) {
            throw refused(e.getMessage());
        }
        DeflateElement offer = clientOffer();
        if (offer.serverNoContextTakeover() && !response.serverNoContextTakeover()) {
            throw refused("server_no_context_takeover was asked for but not agreed");
        }
        if (offer.serverMaxWindowBits() != ABSENT && (response.serverMaxWindowBits() == ABSENT
                || response.serverMaxWindowBits() > offer.serverMaxWindowBits())) {
            throw refused("server_max_window_bits must be answered with at most " + offer.serverMaxWindowBits());
        }
        int clientBits = response.clientMaxWindowBits();
        if (clientBits != ABSENT && offer.clientMaxWindowBits() > 0 && clientBits > offer.clientMaxWindowBits()) {
            throw refused("client_max_window_bits answered above the offered " + offer.clientMaxWindowBits());
        }
        // The offer's own values are promises this side keeps whatever the server answers (§7.1.1.2, §7.1.2.2).
        int sendBits = Math.min(clientBits == ABSENT ? MAX_BITS : clientBits, settings.clientMaxWindowBits());
        boolean sendNoContext = response.clientNoContextTakeover() || settings.clientNoContextTakeover();
        int receiveBits = response.serverMaxWindowBits() == ABSENT ? MAX_BITS : response.serverMaxWindowBits();
        return new PerMessageDeflateExtension(element, pools, settings.threshold(),
                sendBits, sendNoContext, response.serverNoContextTakeover(), receiveBits, settings.idleRelease());
    }

    private static HandshakeException refused(String why) {
        return new HandshakeException(0, "permessage-deflate response refused: " + why);
    }
}
