package io.duplex.core;

import java.util.List;

/**
 * Service provider for one extension an endpoint supports (RFC 6455 §9): negotiates its parameters during the
 * opening handshake and creates the per-connection {@link Extension}. Implementations must be thread-safe, as
 * one factory serves every connection.
 */
public interface ExtensionFactory {

    /** The extension token, for example {@code permessage-deflate}. */
    String name();

    /**
     * Server side: chooses among the client's offers of this extension.
     *
     * @param offers the client's elements with this {@link #name()}, in the client's order of preference
     * @return the accepted extension, whose {@link Extension#negotiated()} is sent back to the client, or
     *     {@code null} to decline every offer
     * @throws HandshakeException with status 400 when an offer is invalid in a way that must fail the
     *     handshake; offers the factory merely cannot satisfy are skipped instead
     */
    Extension accept(List<ExtensionOffer> offers) throws HandshakeException;

    /** Client side: the elements to offer, most preferred first; at least one. */
    List<ExtensionOffer> offers();

    /**
     * Client side: checks the server's response element for this extension.
     *
     * @return the extension to use on the connection
     * @throws HandshakeException with status 0 when the response is unacceptable; the client then fails the
     *     connection
     */
    Extension accepted(ExtensionOffer response) throws HandshakeException;
}
