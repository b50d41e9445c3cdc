package io.duplex.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built frame bytes, written from the layout of RFC 6455 §5.2 so a test controls every bit: FIN, RSV,
 * opcode, the length encoding, the mask. Independent of the frame encoder under test.
 */
final class FrameBytes {

    private FrameBytes() {
    }

    /**
     * A frame header declaring {@code length} payload bytes, using the shortest length encoding (7 bits,
     * then 16, then 64 as §5.2 requires), followed by the masking key when {@code maskKey} is not null.
     */
    static byte[] header(boolean fin, int rsv, int opcode, long length, byte[] maskKey) {
        ByteArrayOutputStream h = new ByteArrayOutputStream(14);
        h.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0xF));
        int maskBit = maskKey != null ? 0x80 : 0;
        if (length <= 125) {
            h.write(maskBit | (int) length);
        } else if (length <= 0xFFFF) {
            h.write(maskBit | 126);
            h.write((int) (length >>> 8));
            h.write((int) length);
        } else {
            h.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                h.write((int) (length >>> shift));
            }
        }
        if (maskKey != null) {
            h.write(maskKey, 0, 4);
        }
        return h.toByteArray();
    }

    /** A whole frame; the payload is masked with {@code maskKey} (§5.3) when it is not null. */
    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, byte[] maskKey) {
        byte[] header = header(fin, rsv, opcode, payload.length, maskKey);
        byte[] frame = new byte[header.length + payload.length];
        System.arraycopy(header, 0, frame, 0, header.length);
        for (int i = 0; i < payload.length; i++) {
            frame[header.length + i] = maskKey == null ? payload[i] : (byte) (payload[i] ^ maskKey[i & 3]);
        }
        return frame;
    }

    /** A Close payload: the 2-byte code in network order, then the reason's UTF-8 (§5.5.1). */
    static byte[] closePayload(int code, String reason) {
        return closePayload(code, reason.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] closePayload(int code, byte[] reason) {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return p;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.write(p, 0, p.length);
        }
        return all.toByteArray();
    }
}
