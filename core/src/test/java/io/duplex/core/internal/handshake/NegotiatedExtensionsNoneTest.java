package io.duplex.core.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionFactory;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakeException;
import io.duplex.core.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §9.1: with no extension configured, or none offered, nothing is negotiated, and the server answers
 * with the one shared empty result without consulting any factory.
 */
class NegotiatedExtensionsNoneTest {

    /** Fails the test if the server consults it. */
    private static final ExtensionFactory UNCALLED = new ExtensionFactory() {
        @Override
        public String name() {
            return "permessage-deflate";
        }

        @Override
        public Extension accept(List<ExtensionOffer> offers) {
            throw new AssertionError("consulted without an offer");
        }

        @Override
        public List<ExtensionOffer> offers() {
            return List.of();
        }

        @Override
        public Extension accepted(ExtensionOffer response) {
            throw new AssertionError("consulted without an offer");
        }
    };

    @Test
    void noFactoriesOrNoOfferNegotiatesNone() throws HandshakeException {
        HttpHeaders offer = HttpHeaders.builder().add("Sec-WebSocket-Extensions", "permessage-deflate").build();
        HttpHeaders noOffer = HttpHeaders.builder().add("Host", "h").add("Sec-WebSocket-Protocol", "x").build();
        assertSame(NegotiatedExtensions.none(), NegotiatedExtensions.negotiate(List.of(), offer));
        assertSame(NegotiatedExtensions.none(), NegotiatedExtensions.negotiate(List.of(UNCALLED), noOffer));
        assertSame(NegotiatedExtensions.none(), NegotiatedExtensions.negotiate(List.of(), HttpHeaders.empty()));
        assertTrue(NegotiatedExtensions.none().extensions().isEmpty());
        assertTrue(NegotiatedExtensions.none().header().isEmpty());
    }
}
