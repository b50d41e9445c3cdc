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
 * serves the connection until {@link #releaseIdle} gives it back to the pool; what is kept meanwhile is the last
 * window of inflated bytes (the peer's back-references reach that far), which primes the next one. Without
 * context takeover (the peer forgets history after each message), one is borrowed from the factory's pool per
 * message, so an idle connection holds none.
 */
final class MessageInflater {

    /** How much room to ask the session for at a time. */
    private static final int CHUNK = 8192;
    private static final byte[] NO_INPUT = new byte[0];
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final boolean noContextTakeover;
    private final CodecPool<Inflater> pool;
    /**
     * With context takeover: the last inflated bytes, as far back as the peer's window reaches, copied as they
     * are produced since the Inflater cannot hand out its window when it is given back. Null otherwise.
     */
    private final History history;
    /** Only the extension's own calls read it, so one view serves every message. */
    private final ByteBuffer tail = ByteBuffer.wrap(TAIL.clone());

    private Inflater inflater;
    private boolean inMessage;
    /** The peer ended its DEFLATE stream (a block with BFINAL set, §7.2.3.4): later bytes are padding. */
    private boolean streamEnded;

    /**
     * @param peerWindowBits the window the peer compresses with, 8..15. A zlib peer told 8 uses 9 (zlib
     *     refuses a raw 8-bit window), so at least 9 bits of history are kept.
     */
    MessageInflater(boolean noContextTakeover, int peerWindowBits, CodecPool<Inflater> pool) {
        this.noContextTakeover = noContextTakeover;
        this.pool = pool;
        this.history = noContextTakeover ? null : new History(1 << Math.max(9, peerWindowBits));
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
        if (streamEnded) {
            // The peer ended its stream: the next message starts a new one, which references nothing before it.
            if (inflater != null) {
                inflater.reset();
            }
            if (history != null) {
                history.clear();
            }
            streamEnded = false;
        }
        if (inflater == null) {
            inflater = pool.borrow();
            if (history != null && history.length() > 0) {
                // A raw inflater takes a dictionary at any time: it becomes the window the stream refers back to.
                inflater.setDictionary(history.linear(), 0, history.length());
            }
        }
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
                int from = room.position();
                inflater.inflate(room);
                if (history != null) {
                    history.append(room, from, room.position());
                }
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

    /**
     * The connection is idle: with context takeover, gives the Inflater back to the pool and keeps only the
     * history, which primes the one borrowed for the next message. Does nothing in the middle of a message,
     * without context takeover (nothing is held between messages) or when nothing is held.
     *
     * @return whether an Inflater was given back
     */
    boolean releaseIdle() {
        if (inMessage || inflater == null) {
            return false;
        }
        pool.giveBack(inflater);
        inflater = null;
        return true;
    }

    /** Heap bytes of the history kept for the next Inflater. */
    long heapBytes() {
        return history == null ? 0 : history.retainedBytes();
    }

    /**
     * The connection ended: gives the Inflater back to the pool, or ends it if a message was cut short (its
     * state is unusable), and forgets the history.
     */
    void release() {
        if (history != null) {
            history.clear();
        }
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
