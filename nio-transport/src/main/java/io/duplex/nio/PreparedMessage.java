package io.duplex.nio;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A whole data message encoded once as an unmasked frame (RFC 6455 §5.2), ready to be written to many
 * server connections by {@link WebSocketServer#broadcast}. Immutable and thread-safe.
 */
public final class PreparedMessage {

    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;

    private final ByteBuffer frame;
    private final int payloadLength;

    private PreparedMessage(int opcode, ByteBuffer payload) {
        int len = payload.remaining();
        ByteBuffer f = ByteBuffer.allocateDirect(headerLength(len) + len);
        encodeHeader(f, opcode, len);
        f.put(payload.duplicate()).flip();
        this.frame = f.asReadOnlyBuffer();
        this.payloadLength = len;
    }

    /** A text message. */
    public static PreparedMessage text(String text) {
        return new PreparedMessage(OPCODE_TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A binary message of the bytes between {@code data}'s position and limit (copied; not consumed). */
    public static PreparedMessage binary(ByteBuffer data) {
        return new PreparedMessage(OPCODE_BINARY, data);
    }

    /** The payload's length in bytes. */
    public int payloadLength() {
        return payloadLength;
    }

    /** A new view of the encoded frame, positioned at its start; views are cheap and independent. */
    ByteBuffer frameView() {
        return frame.duplicate();
    }

    private static int headerLength(int len) {
        return len <= 125 ? 2 : len <= 0xFFFF ? 4 : 10;
    }

    /** FIN set, no RSV bits, no mask (a server's frame), and the shortest length encoding (§5.2). */
    private static void encodeHeader(ByteBuffer f, int opcode, int len) {
        f.put((byte) (0x80 | opcode));
        if (len <= 125) {
            f.put((byte) len);
        } else if (len <= 0xFFFF) {
            f.put((byte) 126).putShort((short) len);
        } else {
            f.put((byte) 127).putLong(len);
        }
    }
}
