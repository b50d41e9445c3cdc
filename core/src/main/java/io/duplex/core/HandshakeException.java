package io.duplex.core;

import java.io.IOException;

/**
 * An opening handshake (RFC 6455 §4) failed.
 *
 * <p>On a server, {@link #status()} is the HTTP status answered to the client (400, 403, 405, 426, 431, 505
 * ...). On a client, it is the status the server answered, or 0 when the response was not valid HTTP.
 */
public class HandshakeException extends IOException {

    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the HTTP status (see the class description)
     * @param message what was wrong, short enough to be sent as a response body
     */
    public HandshakeException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status: answered by a server, or received by a client (0 when the response was malformed). */
    public int status() {
        return status;
    }
}
