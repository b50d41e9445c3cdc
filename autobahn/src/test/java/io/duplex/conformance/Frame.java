package io.duplex.conformance;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One frame as it was on the wire (RFC 6455 §5.2), payload already unmasked.
 *
 * @param fin the FIN bit
 * @param rsv RSV1..RSV3 as a 3-bit number (RSV1 is 4)
 * @param opcode the 4-bit opcode
 * @param maskKey the masking key, or null when the MASK bit was clear
 * @param payload the application data
 */
record Frame(boolean fin, int rsv, int opcode, byte[] maskKey, byte[] payload) {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    boolean masked() {
        return maskKey != null;
    }

    /** The status code of a Close frame, or -1 when its payload is empty (RFC 6455 §5.5.1). */
    int closeCode() {
        return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    /** The reason of a Close frame, decoded strictly: a test must see invalid UTF-8 rather than U+FFFD. */
    String closeReason() {
        return payload.length <= 2 ? "" : strictUtf8(payload, 2);
    }

    static String strictUtf8(byte[] bytes, int offset) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("not UTF-8: " + e, e);
        }
    }

    @Override
    public String toString() {
        String kind = switch (opcode) {
            case CONTINUATION -> "CONT";
            case TEXT -> "TEXT";
            case BINARY -> "BINARY";
            case CLOSE -> "CLOSE " + closeCode();
            case PING -> "PING";
            case PONG -> "PONG";
            default -> "OPCODE " + opcode;
        };
        return kind + (fin ? "" : " (FIN=0)") + (rsv != 0 ? " RSV=" + rsv : "") + (masked() ? " masked" : "")
                + " len=" + payload.length;
    }
}
