package io.duplex.core.internal.extension.deflate;

import java.nio.ByteBuffer;

/**
 * A DEFLATE (RFC 1951) compressor whose back-references stay within a window of 2^windowBits bytes, so it
 * can honour the {@code server_max_window_bits} / {@code client_max_window_bits} a permessage-deflate peer
 * asked for (RFC 7692 §7.1.2), which {@link java.util.zip.Deflater}'s fixed 32 KiB window cannot.
 *
 * <p>Each {@link #compress} call turns one whole message into raw DEFLATE blocks (none with BFINAL set)
 * followed by an empty stored block, so the output always ends with {@code 00 00 FF FF} for the caller to
 * strip (RFC 7692 §7.2.1). With context takeover the history of earlier messages stays available to
 * back-references; without it the caller calls {@link #reset()} between messages.
 *
 * <p>Back-reference distances are at most 2^windowBits - 1 (one short of what RFC 7692 allows, which
 * keeps the hash chains simple). Memory scales with the window (see {@link #retainedBytes()}): about
 * 36 KiB at 8 bits, 272 KiB at 15, allocated on the first message and dropped by {@link #release()}.
 * Not thread-safe: one instance per connection direction.
 */
public final class WindowedDeflater {

    private static final int MIN_BLOCK_SYMBOLS = 4096;
    private static final int MAX_BLOCK_SYMBOLS = 16384;

    private final int windowBits;
    private final SearchEffort effort;

    private MatchFinder matcher;
    private SymbolBuffer symbols;
    private BlockWriter writer;

    /**
     * @param windowBits base-2 logarithm of the LZ77 window, 8..15
     * @param level      1 (fastest) .. 9 (smallest output): how long the hash chains searched are
     */
    public WindowedDeflater(int windowBits, int level) {
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("windowBits must be 8..15: " + windowBits);
        }
        this.windowBits = windowBits;
        this.effort = SearchEffort.forLevel(level);
    }

    /**
     * Compresses the bytes from {@code src}'s position to its limit as one message, appends the raw
     * DEFLATE output ending with {@code 00 00 FF FF} to {@code out}, and advances {@code src} to its limit.
     * If this throws, the history is forgotten as if by {@link #reset()}.
     */
    public void compress(ByteBuffer src, Sink out) {
        allocate();
        int start = src.position();
        int end = src.limit();
        try {
            matcher.beginMessage(src, start, end);
            writer.begin(out);
            int blockStart = start;
            while (!matcher.parse(symbols)) {
                blockStart = writeBlock(src, blockStart);
            }
            if (symbols.count > 0) {
                writeBlock(src, blockStart);
            }
            writer.writeSyncFlush();
        } catch (RuntimeException | Error e) {
            // The peer will not see this message, so its bytes must not be referenced later.
            symbols.clear();
            matcher.reset();
            throw e;
        } finally {
            matcher.endMessage();
        }
        src.position(end);
    }

    private int writeBlock(ByteBuffer src, int blockStart) {
        int rawBytes = symbols.rawBytes;
        writer.writeBlock(symbols, src, blockStart);
        return blockStart + rawBytes;
    }

    /** Forgets the history, so the next message references nothing before it (no_context_takeover). */
    public void reset() {
        if (matcher != null) {
            matcher.reset();
        }
    }

    /**
     * A copy of the history later messages may reference (at most the window's size less one, less when less
     * was compressed), for {@link #prime} on another instance: so a connection idle between messages need not
     * hold this one's arrays.
     */
    public byte[] history() {
        return matcher == null ? new byte[0] : matcher.history();
    }

    /**
     * Makes {@code history} the bytes the next message may reference, as if it had been compressed here with
     * context takeover. Call on an instance that is new or {@link #reset()}.
     */
    public void prime(byte[] history) {
        allocate();
        matcher.prime(history);
    }

    /** Drops the large arrays; also forgets the history. The next compress allocates them again. */
    public void release() {
        matcher = null;
        symbols = null;
        writer = null;
    }

    /** Bytes of array storage this instance holds now (0 after {@link #release()}). */
    public long retainedBytes() {
        if (matcher == null) {
            return 0;
        }
        return matcher.retainedBytes() + symbols.retainedBytes() + writer.retainedBytes();
    }

    private void allocate() {
        if (matcher == null) {
            int blockSymbols = Math.max(MIN_BLOCK_SYMBOLS, Math.min(MAX_BLOCK_SYMBOLS, 1 << (windowBits - 1)));
            matcher = new MatchFinder(windowBits, effort);
            symbols = new SymbolBuffer(blockSymbols);
            writer = new BlockWriter();
        }
    }
}
