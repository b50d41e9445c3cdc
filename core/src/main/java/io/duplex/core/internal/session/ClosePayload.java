package io.duplex.core.internal.session;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocketException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The application data of a Close frame (RFC 6455 §5.5.1): empty, or a 2-byte big-endian status code
 * followed by a UTF-8 reason.
 */
public final class ClosePayload {

    /** RFC 6455 §5.5: every control frame's payload is at most 125 bytes. */
    static final int MAX_PAYLOAD_BYTES = 125;
    private static final int CODE_BYTES = 2;

    private ClosePayload() {
    }

    /**
     * {@code reason} cut to what fits a Close frame ({@link CloseStatus#MAX_REASON_BYTES} of UTF-8), on a code
     * point boundary; empty for {@code null}.
     */
    public static String fitReason(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length <= CloseStatus.MAX_REASON_BYTES) {
            return reason;
        }
        int end = reason.length();
        while (end > 0 && reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length
                > CloseStatus.MAX_REASON_BYTES) {
            end--;
            if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) {
                end--;
            }
        }
        return reason.substring(0, end);
    }

    /**
     * Parses a received Close frame's payload, {@code payload[position..limit)}, already unmasked. The
     * buffer's position is left where it was.
     *
     * @return {@link CloseStatus#NO_STATUS} (1005) for an empty payload, else the received code and reason
     * @throws WebSocketException 1002 for a 1-byte payload, a payload over 125 bytes, or a code that may not
     *     be sent (RFC 6455 §7.4: below 1000, 1004–1006, 1015, 1016–2999, 5000 and above); 1007 for a reason
     *     that is not valid UTF-8 (§8.1)
     */
    public static CloseStatus parse(ByteBuffer payload) throws WebSocketException {
        int at = payload.position();
        int length = payload.remaining();
        if (length == 0) {
            return CloseStatus.NO_STATUS;
        }
        if (length == 1) {
            throw new WebSocketException(CloseStatus.PROTOCOL_ERROR, "close payload of one byte");
        }
        if (length > MAX_PAYLOAD_BYTES) {
            throw new WebSocketException(CloseStatus.PROTOCOL_ERROR, "close payload over 125 bytes");
        }
        int code = Short.toUnsignedInt(payload.getShort(at));
        if (!CloseStatus.isSendable(code)) {
            throw new WebSocketException(CloseStatus.PROTOCOL_ERROR, "invalid close code " + code);
        }
        byte[] reason = new byte[length - CODE_BYTES];
        payload.get(at + CODE_BYTES, reason);
        Utf8Validator utf8 = new Utf8Validator();
        if (!utf8.validate(reason, 0, reason.length) || !utf8.isComplete()) {
            throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA, "close reason is not UTF-8");
        }
        return CloseStatus.received(code, new String(reason, StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code status} as a Close payload into {@code dst} at its position, advancing it: nothing for
     * {@link CloseStatus#NO_STATUS_RECEIVED} (an echo of a Close that had no code, §5.5.1), else the code
     * big-endian and the UTF-8 reason. A reason longer than {@value CloseStatus#MAX_REASON_BYTES} bytes (only
     * possible for a status built by {@link CloseStatus#received}) is cut at a code point boundary so the
     * payload stays within 125 bytes.
     *
     * @throws IllegalArgumentException if the code may not be sent, other than 1005
     * @throws BufferOverflowException if {@code dst} lacks room; nothing is written then
     */
    public static void write(CloseStatus status, ByteBuffer dst) {
        int code = status.code();
        if (code == CloseStatus.NO_STATUS_RECEIVED) {
            return;
        }
        if (!CloseStatus.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4)");
        }
        byte[] reason = status.reason().getBytes(StandardCharsets.UTF_8);
        int reasonLength = wholeCodePoints(reason, CloseStatus.MAX_REASON_BYTES);
        if (dst.remaining() < CODE_BYTES + reasonLength) {
            throw new BufferOverflowException();
        }
        dst.putShort((short) code);
        dst.put(reason, 0, reasonLength);
    }

    /** The longest prefix of well-formed {@code utf8} within {@code max} bytes that ends between code points. */
    private static int wholeCodePoints(byte[] utf8, int max) {
        if (utf8.length <= max) {
            return utf8.length;
        }
        int cut = max;
        while (cut > 0 && (utf8[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return cut;
    }
}
