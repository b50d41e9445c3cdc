package io.duplex.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A close code and reason (RFC 6455 §7.4), as sent or received in a Close frame or as reported to
 * {@link WebSocketHandler#onClose}.
 *
 * <p>Immutable. Codes 1005 ({@link #NO_STATUS_RECEIVED}), 1006 ({@link #ABNORMAL_CLOSURE}) and 1015
 * ({@link #TLS_HANDSHAKE_FAILURE}) are reported locally but never sent; {@link #isSendable(int)} says which
 * codes may appear on the wire.
 */
public final class CloseStatus {

    /** 1000: the purpose of the connection has been fulfilled. */
    public static final int NORMAL_CLOSURE = 1000;
    /** 1001: the endpoint is going away (server shutdown, page navigated away). */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: a data type the endpoint cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: reported when a Close frame carried no status code. Never sent. */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** 1006: reported when the connection ended without a Close frame. Never sent. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: a message's data was inconsistent with its type (for example text that is not UTF-8). */
    public static final int INVALID_PAYLOAD_DATA = 1007;
    /** 1008: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a frame or message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected an extension the server did not negotiate. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting. */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (for example, an outbound buffer overflowed). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: a gateway received an invalid response. */
    public static final int BAD_GATEWAY = 1014;
    /** 1015: reported when the TLS handshake failed. Never sent. */
    public static final int TLS_HANDSHAKE_FAILURE = 1015;

    /** The longest reason that fits a control frame: 125 payload bytes less the 2-byte code. */
    public static final int MAX_REASON_BYTES = 123;

    /** Status reported when the peer closed without a status code. */
    public static final CloseStatus NO_STATUS = new CloseStatus(NO_STATUS_RECEIVED, "");
    /** Status reported when the connection ended without a close handshake. */
    public static final CloseStatus ABNORMAL = new CloseStatus(ABNORMAL_CLOSURE, "");

    private final int code;
    private final String reason;

    private CloseStatus(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /**
     * A status to send.
     *
     * @throws IllegalArgumentException if the code may not be sent ({@link #isSendable(int)}) or the reason
     *     exceeds {@value #MAX_REASON_BYTES} bytes of UTF-8
     */
    public static CloseStatus of(int code, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4)");
        }
        if (reason.length() > MAX_REASON_BYTES / 3
                && reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason longer than " + MAX_REASON_BYTES + " UTF-8 bytes");
        }
        return new CloseStatus(code, reason);
    }

    /** A status as received or observed; the code is not checked, as it describes what happened. */
    public static CloseStatus received(int code, String reason) {
        return new CloseStatus(code, Objects.requireNonNull(reason, "reason"));
    }

    /**
     * Whether {@code code} may appear in a Close frame: 1000–1003, 1007–1014 and 3000–4999. Codes below
     * 1000, 1004–1006, 1015, 1016–2999 (unassigned in the IANA registry) and 5000 and above may not.
     */
    public static boolean isSendable(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /** The close code. */
    public int code() {
        return code;
    }

    /** The reason, empty when none was given. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloseStatus other && other.code == code && other.reason.equals(reason);
    }

    @Override
    public int hashCode() {
        return code * 31 + reason.hashCode();
    }

    @Override
    public String toString() {
        return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
    }
}
