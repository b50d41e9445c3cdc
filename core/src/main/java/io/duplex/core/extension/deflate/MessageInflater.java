package io.duplex.core.extension.deflate;

import io.duplex.core.CloseStatus;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.WebSocketException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The receiving half of permessage-deflate (RFC 7692 §7.2.2): inflates each message's payload with the
 * {@code 00 00 FF FF} tail appended, through the session's output so the message limit applies to inflated
 * bytes while they are produced. One raw {@link Inflater}, created on the first message, serves the
 * connection; it is reset before each message when the peer agreed not to take context over.
 */
final class MessageInflater {

    /** How much room to ask the session for at a time. */
    private static final int CHUNK = 8192;
    private static final byte[] NO_INPUT = new byte[0];
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final boolean noContextTakeover;
    /** Only the extension's own calls read it, so one view serves every message. */
    private final ByteBuffer tail = ByteBuffer.wrap(TAIL.clone());

    private Inflater inflater;
    private boolean inMessage;
    /** The peer ended its DEFLATE stream (a block with BFINAL set, §7.2.3.4): later bytes are padding. */
    private boolean streamEnded;
    int created;
    int ended;

    MessageInflater(boolean noContextTakeover) {
        this.noContextTakeover = noContextTakeover;
    }

    void decode(ByteBuffer in, boolean endOfMessage, ExtensionOutput out) throws WebSocketException {
        if (!inMessage) {
            begin();
        }
        if (in.hasRemaining()) {
            inflate(in, out);
        }
        if (endOfMessage) {
            inflate(tail.clear(), out);
            inMessage = false;
        }
    }

    private void begin() {
        inMessage = true;
        if (inflater == null) {
            inflater = new Inflater(true);
            created++;
        } else if (noContextTakeover || streamEnded) {
            inflater.reset();
        }
        streamEnded = false;
    }

    private void inflate(ByteBuffer in, ExtensionOutput out) throws WebSocketException {
        if (streamEnded) {
            in.position(in.limit());
            return;
        }
        inflater.setInput(in);
        try {
            while (true) {
                ByteBuffer room = out.buffer(CHUNK);
                inflater.inflate(room);
                if (inflater.finished()) {
                    streamEnded = true;
                    in.position(in.limit());
                    return;
                }
                if (inflater.needsDictionary()) {
                    throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA, "deflate data asks for a dictionary");
                }
                if (room.hasRemaining()) {
                    return; // stopped for want of input, not of room: the chunk is consumed
                }
            }
        } catch (DataFormatException e) {
            throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA, "invalid deflate data: " + e.getMessage());
        } finally {
            // Let go of the caller's buffer; the Inflater would otherwise keep it reachable.
            inflater.setInput(NO_INPUT);
        }
    }

    /** Whether the native Inflater exists (created on the first message, ended by release). */
    boolean holdsNative() {
        return inflater != null;
    }

    void release() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
            ended++;
        }
        inMessage = false;
    }
}
