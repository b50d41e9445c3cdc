package io.duplex.core.internal.extension.deflate;

import io.duplex.core.CloseStatus;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.WebSocketException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The receiving half of permessage-deflate (RFC 7692 §7.2.2): inflates each message's payload with the
 * {@code 00 00 FF FF} tail appended, through the session's output so the message limit applies to inflated
 * bytes while they are produced. With context takeover one raw {@link Inflater}, taken on the first message,
 * serves the connection; without it (the peer forgets history after each message), one is borrowed from the
 * factory's pool per message, so an idle connection holds none.
 */
final class MessageInflater {

    /** How much room to ask the session for at a time. */
    private static final int CHUNK = 8192;
    private static final byte[] NO_INPUT = new byte[0];
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final boolean noContextTakeover;
    private final CodecPool<Inflater> pool;
    /** Only the extension's own calls read it, so one view serves every message. */
    private final ByteBuffer tail = ByteBuffer.wrap(TAIL.clone());

    private Inflater inflater;
    private boolean inMessage;
    /** The peer ended its DEFLATE stream (a block with BFINAL set, §7.2.3.4): later bytes are padding. */
    private boolean streamEnded;

    MessageInflater(boolean noContextTakeover, CodecPool<Inflater> pool) {
        this.noContextTakeover = noContextTakeover;
        this.pool = pool;
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
            if (noContextTakeover) {
                pool.giveBack(inflater);
                inflater = null;
            }
        }
    }

    private void begin() {
        inMessage = true;
        if (inflater == null) {
            inflater = pool.borrow();
        } else if (streamEnded) {
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
                    throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA,
                            "deflate data asks for a dictionary");
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

    /** Gives the Inflater back to the pool, or ends it if a message was cut short (its state is unusable). */
    void release() {
        if (inflater != null) {
            if (inMessage) {
                pool.discard(inflater);
            } else {
                pool.giveBack(inflater);
            }
            inflater = null;
        }
        inMessage = false;
    }
}
