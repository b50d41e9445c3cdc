package io.duplex.core.internal.extension.deflate;

import io.duplex.core.ExtensionOutput;
import io.duplex.core.WebSocketException;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * The sending half of permessage-deflate (RFC 7692 §7.2.1): compresses each message (or each part of a message
 * sent in parts) ending in a sync flush, and strips the final {@code 00 00 FF FF}. With a 15-bit window it uses
 * the JDK's {@link Deflater} (native zlib, faster); with a smaller one, {@link WindowedDeflater}, whose
 * back-references stay inside the agreed window. With context takeover the compressor is taken on the first
 * message and kept until {@link #releaseIdle}, which gives it back to the pool and keeps only the history (the
 * last window of what was sent) to prime the next one with; without context takeover, one is borrowed from the
 * factory's pool per message, so an idle connection holds none.
 */
final class MessageDeflater implements Sink {

    private static final byte[] NO_INPUT = new byte[0];
    /** zlib advises more than six free bytes for a flush, lest it repeat the flush marker. */
    private static final int MIN_ROOM = 64;
    private static final int MAX_FIRST_REQUEST = 1 << 20;

    private final int windowBits;
    private final boolean noContextTakeover;
    private final ZlibPools pools;

    private Deflater deflater;
    private WindowedDeflater windowed;
    /**
     * With context takeover and a 15-bit window: the last 32 KiB sent, copied as they are compressed, since
     * the native compressor cannot hand out its window when it is given back. Null otherwise.
     */
    private final History history;
    /** The windowed compressor's history while it is given back for idleness (it hands it out); else null. */
    private byte[] windowedHistory;
    private boolean inMessage;
    /** The output of the current call, for {@link #ensure}. */
    private ExtensionOutput out;
    /** The buffer the latest output went to. */
    private ByteBuffer last;

    MessageDeflater(int windowBits, boolean noContextTakeover, ZlibPools pools) {
        this.windowBits = windowBits;
        this.noContextTakeover = noContextTakeover;
        this.pools = pools;
        this.history = windowBits == 15 && !noContextTakeover ? new History(1 << 15) : null;
    }

    void encode(ByteBuffer in, boolean endOfMessage, ExtensionOutput output) {
        if (!inMessage) {
            begin();
        }
        out = output;
        try {
            ByteBuffer first = ensure(MIN_ROOM);
            int start = first.position();
            if (windowBits == 15) {
                int from = in.position();
                int to = in.limit();
                deflate(in);
                if (history != null) {
                    history.append(in, from, to);
                }
            } else {
                windowed.compress(in, this);
            }
            if (endOfMessage) {
                if (last == first && first.position() == start) {
                    // zlib writes nothing for a flush with no new input after a flush; a lone empty stored
                    // block header (00, with 00 00 FF FF implied) ends the message at the same boundary.
                    first.put((byte) 0);
                } else {
                    stripTail();
                }
            }
        } finally {
            out = null;
        }
        inMessage = !endOfMessage;
        if (endOfMessage && noContextTakeover) {
            giveBack();
        }
    }

    private void begin() {
        inMessage = true;
        if (windowBits == 15) {
            if (deflater == null) {
                deflater = pools.deflaters.borrow();
                if (history != null && history.length() > 0) {
                    // A raw stream takes a dictionary before its first input: the stream continues from it.
                    deflater.setDictionary(history.linear(), 0, history.length());
                }
            }
        } else if (windowed == null) {
            windowed = pools.windowed(windowBits).borrow();
            if (windowedHistory != null) {
                windowed.prime(windowedHistory);
                windowedHistory = null;
            }
        }
    }

    /**
     * The connection is idle: with context takeover, gives the compressor back to the pool and keeps only its
     * history, which primes the one borrowed for the next message. Does nothing in the middle of a message,
     * without context takeover (nothing is held between messages) or when nothing is held.
     *
     * @return whether a compressor was given back
     */
    boolean releaseIdle() {
        if (inMessage || noContextTakeover) {
            return false;
        }
        if (deflater != null) {
            pools.deflaters.giveBack(deflater);
            deflater = null;
            return true;
        }
        if (windowed != null) {
            windowedHistory = windowed.history();
            pools.windowed(windowBits).giveBack(windowed);
            windowed = null;
            return true;
        }
        return false;
    }

    private void giveBack() {
        if (deflater != null) {
            pools.deflaters.giveBack(deflater);
            deflater = null;
        }
        if (windowed != null) {
            pools.windowed(windowBits).giveBack(windowed);
            windowed = null;
        }
    }

    private void deflate(ByteBuffer in) {
        deflater.setInput(in);
        try {
            int wanted = (int) Math.min(MAX_FIRST_REQUEST, in.remaining() / 2 + MIN_ROOM);
            while (true) {
                ByteBuffer room = ensure(wanted);
                deflater.deflate(room, Deflater.SYNC_FLUSH);
                if (room.hasRemaining()) {
                    return; // a sync flush that leaves room has consumed and flushed all input
                }
                wanted = MIN_ROOM * 64;
            }
        } finally {
            deflater.setInput(NO_INPUT);
        }
    }

    /** Room in the session's output; {@link WindowedDeflater} writes through this too. */
    @Override
    public ByteBuffer ensure(int minRemaining) {
        ByteBuffer b;
        try {
            b = out.buffer(Math.max(minRemaining, MIN_ROOM));
        } catch (WebSocketException e) {
            throw new IllegalStateException("outgoing message too large to compress", e);
        }
        if (b.remaining() < minRemaining) {
            throw new IllegalStateException("the output gave " + b.remaining() + " bytes of room, not " + minRemaining);
        }
        last = b;
        return b;
    }

    /** RFC 7692 §7.2.1 step 3: the sync flush's empty stored block ends in 00 00 FF FF; it is not sent. */
    private void stripTail() {
        int end = last.position();
        if (end < 4 || last.get(end - 4) != 0 || last.get(end - 3) != 0
                || last.get(end - 2) != (byte) 0xFF || last.get(end - 1) != (byte) 0xFF) {
            throw new IllegalStateException("compressed output does not end with 00 00 FF FF in one buffer");
        }
        last.position(end - 4);
    }

    boolean holdsCodec() {
        return deflater != null || windowed != null;
    }

    /** Heap bytes held: the windowed compressor's arrays and the history kept for the next compressor. */
    long heapBytes() {
        return (windowed == null ? 0 : windowed.retainedBytes()) + (history == null ? 0 : history.retainedBytes())
                + (windowedHistory == null ? 0 : windowedHistory.length);
    }

    /**
     * The connection ended: gives the compressor back to the pool, or ends it if a message was cut short (its
     * state is unusable), and forgets the history.
     */
    void release() {
        if (history != null) {
            history.clear();
        }
        windowedHistory = null;
        if (inMessage) {
            if (deflater != null) {
                pools.deflaters.discard(deflater);
                deflater = null;
            }
            if (windowed != null) {
                pools.windowed(windowBits).discard(windowed);
                windowed = null;
            }
        }
        giveBack();
        inMessage = false;
    }
}
