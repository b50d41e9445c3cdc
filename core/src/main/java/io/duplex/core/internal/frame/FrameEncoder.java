package io.duplex.core.internal.frame;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes frame headers (RFC 6455 §5.2): FIN, RSV and opcode, the payload length in its shortest encoding
 * (7 bits up to 125, 16 bits up to 65535, 64 bits beyond) and, for a masked frame, the 4-byte masking key.
 * The payload itself is written by the caller, masked with {@link Masking} when the frame is masked, so a
 * header and an unmasked payload can go out together in one gathering write.
 */
public final class FrameEncoder {

    /** The longest header: 2 bytes, a 64-bit length and a masking key. */
    public static final int MAX_HEADER_LENGTH = 14;

    private FrameEncoder() {
    }

    /**
     * Writes a header at {@code dst.position()} and advances it, in network byte order whatever
     * {@code dst.order()} is.
     *
     * @param rsv the RSV bits as {@code 0..7} (RSV1 = 4, RSV2 = 2, RSV3 = 1)
     * @param maskKey the masking key, most significant byte first on the wire; ignored unless {@code mask}
     * @throws IllegalArgumentException for a negative length, RSV or opcode out of range, or a control frame
     *     that is fragmented or longer than 125 bytes (§5.5)
     * @throws BufferOverflowException if fewer than {@link #headerLength} bytes remain
     */
    public static void encodeHeader(ByteBuffer dst, boolean fin, int rsv, int opcode, long payloadLength,
            boolean mask, int maskKey) {
        if (payloadLength < 0 || (rsv & ~7) != 0 || (opcode & ~0xF) != 0) {
            throw new IllegalArgumentException("bad frame header: rsv=" + rsv + " opcode=" + opcode
                    + " length=" + payloadLength);
        }
        if (Opcode.isControl(opcode) && (!fin || payloadLength > 125)) {
            throw new IllegalArgumentException("control frames are final and carry at most 125 bytes (RFC 6455 §5.5)");
        }
        if (dst.remaining() < headerLength(payloadLength, mask)) {
            throw new BufferOverflowException(); // before writing, so a failed call leaves dst as it was
        }
        boolean bigEndian = dst.order() == ByteOrder.BIG_ENDIAN;
        int maskBit = mask ? 0x80 : 0;
        dst.put((byte) ((fin ? 0x80 : 0) | rsv << 4 | opcode));
        if (payloadLength <= 125) {
            dst.put((byte) (maskBit | (int) payloadLength));
        } else if (payloadLength <= 0xFFFF) {
            dst.put((byte) (maskBit | 126));
            short len = (short) payloadLength;
            dst.putShort(bigEndian ? len : Short.reverseBytes(len));
        } else {
            dst.put((byte) (maskBit | 127));
            dst.putLong(bigEndian ? payloadLength : Long.reverseBytes(payloadLength));
        }
        if (mask) {
            dst.putInt(bigEndian ? maskKey : Integer.reverseBytes(maskKey));
        }
    }

    /** The size of the header {@link #encodeHeader} writes for this length and masking: 2 to 14 bytes. */
    public static int headerLength(long payloadLength, boolean mask) {
        int extended = payloadLength <= 125 ? 0 : payloadLength <= 0xFFFF ? 2 : 8;
        return 2 + extended + (mask ? 4 : 0);
    }
}
