package io.duplex.nio;

import io.duplex.core.internal.frame.FrameEncoder;
import io.duplex.core.internal.frame.Opcode;
import io.duplex.core.internal.session.MessageEncoding;
import java.nio.ByteBuffer;

/**
 * A whole data message encoded once as an unmasked frame (RFC 6455 §5.2), ready to be written to many
 * server connections by {@link WebSocketServer#broadcast} or to a room's members by {@link Rooms#publish}.
 * Immutable and thread-safe.
 *
 * <p>It is always sent uncompressed, also to connections that negotiated permessage-deflate (RFC 7692 lets
 * any message go uncompressed): compressing would cost a deflate per distinct parameter set and a frame per
 * set, where the point is to write the same bytes to every connection.
 */
public final class PreparedMessage {

    private final ByteBuffer frame;
    private final int payloadLength;
    private final int headerLength;
    private final boolean text;

    private PreparedMessage(int opcode, ByteBuffer payload) {
        int len = payload.remaining();
        ByteBuffer f = ByteBuffer.allocateDirect(FrameEncoder.headerLength(len, false) + len);
        FrameEncoder.encodeHeader(f, true, 0, opcode, len, false, 0);
        f.put(payload.duplicate()).flip();
        this.frame = f.asReadOnlyBuffer();
        this.payloadLength = len;
        this.headerLength = f.limit() - len;
        this.text = opcode == Opcode.TEXT;
    }

    /**
     * A text message.
     *
     * @throws IllegalArgumentException if the text holds an unpaired surrogate (it has no UTF-8 form)
     */
    public static PreparedMessage text(String text) {
        return new PreparedMessage(Opcode.TEXT, MessageEncoding.utf8(text, 0, text.length()));
    }

    /** A binary message of the bytes between {@code data}'s position and limit (copied; not consumed). */
    public static PreparedMessage binary(ByteBuffer data) {
        return new PreparedMessage(Opcode.BINARY, data);
    }

    /** The payload's length in bytes. */
    public int payloadLength() {
        return payloadLength;
    }

    /** The whole frame's length in bytes, header included: what each connection buffers for it. */
    public int frameLength() {
        return frame.limit();
    }

    /**
     * Whether this is a text message (else binary): with {@link #payload()}, what an engine carries to other
     * nodes.
     */
    public boolean isText() {
        return text;
    }

    /** A new read-only view of the payload (UTF-8 for text), positioned at its start. */
    public ByteBuffer payload() {
        return payloadView();
    }

    /** A new view of the frame's header. */
    ByteBuffer headerView() {
        return frame.duplicate().limit(headerLength).slice();
    }

    /** A new view of the frame's payload. */
    ByteBuffer payloadView() {
        return frame.duplicate().position(headerLength).slice();
    }

    /** A new view of the encoded frame, positioned at its start; views are cheap and independent. */
    ByteBuffer frameView() {
        return frame.duplicate();
    }
}
