package io.duplex.nio;

import java.io.IOException;

/**
 * An HTTP proxy refused to open a CONNECT tunnel (RFC 9110 §9.3.6): it answered with a status other than
 * 2xx (407 when it wants credentials), or its answer was not valid HTTP. A connect future fails with it.
 */
public class ProxyConnectException extends IOException {

    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the proxy's HTTP status, or 0 when its response was malformed
     * @param message what went wrong
     */
    public ProxyConnectException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The proxy's HTTP status (407 proxy authentication required, 403, 502 ...), or 0 for a malformed response. */
    public int status() {
        return status;
    }
}
