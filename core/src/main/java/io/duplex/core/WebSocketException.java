package io.duplex.core;

import java.io.IOException;

/**
 * The peer broke RFC 6455 or exceeded a limit, so the connection is failed with {@link #closeCode()}
 * (1002 protocol error, 1007 invalid payload data, 1008 policy violation, 1009 message too big).
 * Delivered to {@link WebSocketHandler#onError} before {@link WebSocketHandler#onClose}.
 */
public class WebSocketException extends IOException {

    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    /**
     * @param closeCode the close code the connection is failed with
     * @param message what the peer did wrong; it becomes the close reason, so keep it short
     */
    public WebSocketException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /** The close code the connection is failed with. */
    public int closeCode() {
        return closeCode;
    }
}
