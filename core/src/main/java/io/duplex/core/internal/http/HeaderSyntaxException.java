package io.duplex.core.internal.http;

/**
 * A header field value that breaks its grammar. The HTTP helpers know nothing of the API's
 * {@code HandshakeException}; the handshake code that calls them answers this with a 400.
 */
public final class HeaderSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A value that breaks its grammar, and where: {@code message} names the field. */
    public HeaderSyntaxException(String message) {
        super(message);
    }
}
