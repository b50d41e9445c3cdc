package io.duplex.nio.internal.tls;

import java.nio.ByteBuffer;

/**
 * The ciphertext of one connection that the socket has not taken yet: records the {@link TlsEngine} wraps are
 * appended behind what is pending, and the socket writes from the front. The buffer is borrowed from the
 * {@link TlsBufferPool} when the first record is appended and given back as soon as the socket has taken
 * everything, so an idle connection holds none.
 *
 * <p>Between calls the buffer is in read mode (the pending ciphertext between position and limit); {@link
 * #openForAppend} turns it to write mode for one engine wrap and {@link #closeForAppend} back.
 */
final class OutboundRecords {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final TlsBufferPool pool;
    /** Ciphertext not yet written: read mode between calls, null when none. */
    private ByteBuffer pending;
    /** Where the unwritten ciphertext starts while {@link #pending} is open for appending. */
    private int start;

    OutboundRecords(TlsBufferPool pool) {
        this.pool = pool;
    }

    /**
     * Opens the buffer for appending with at least {@code room} free bytes and returns it in write mode; call
     * {@link #closeForAppend} after writing into it. Pending bytes are kept in place when there is room behind
     * them, moved to the front when that makes room, and copied to a larger buffer otherwise.
     */
    ByteBuffer openForAppend(int room) {
        if (pending == null) {
            pending = pool.acquire(room);
            start = 0;
            return pending;
        }
        int unwritten = pending.remaining();
        int capacity = pending.capacity();
        if (unwritten == 0 && capacity >= room) {
            pending.clear();
            start = 0;
        } else if (capacity - pending.limit() >= room) {
            start = pending.position();
            pending.position(pending.limit()).limit(capacity);
        } else if (capacity - unwritten >= room) {
            pending.compact();
            start = 0;
        } else {
            long wanted = Math.max((long) unwritten + room, capacity + (capacity >> 1));
            ByteBuffer bigger = pool.acquire((int) Math.min(wanted, Integer.MAX_VALUE - 8));
            bigger.put(pending);
            pool.release(pending);
            pending = bigger;
            start = 0;
        }
        return pending;
    }

    /** Back to read mode: the unwritten ciphertext, old and newly appended, is between position and limit. */
    void closeForAppend() {
        pending.limit(pending.position()).position(start);
    }

    /** Makes room for {@code room} more bytes at once, so the records that follow append without growing. */
    void reserve(int room) {
        openForAppend(room);
        closeForAppend();
    }

    /** Appends the rest of {@code unwritten} (read mode) and consumes it. */
    void keep(ByteBuffer unwritten) {
        if (!unwritten.hasRemaining()) {
            return;
        }
        openForAppend(unwritten.remaining()).put(unwritten);
        closeForAppend();
    }

    /** Bytes waiting for the socket. */
    int pendingBytes() {
        return pending == null ? 0 : pending.remaining();
    }

    /** The pending ciphertext in read mode, or an empty buffer; see {@link TlsEngine#networkOutput()}. */
    ByteBuffer networkOutput() {
        return pending != null ? pending : EMPTY;
    }

    /** Gives the buffer back once the socket has taken everything in it. */
    void consumed() {
        if (pending != null && !pending.hasRemaining()) {
            pool.release(pending);
            pending = null;
        }
    }

    /** Gives the buffer back, written or not. */
    void release() {
        if (pending != null) {
            pool.release(pending);
            pending = null;
        }
    }

    /** Bytes of buffer capacity held right now. */
    int retainedBytes() {
        return pending == null ? 0 : pending.capacity();
    }
}
