package io.duplex.nio.internal.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLException;

/**
 * What one connection keeps of the records it receives between socket reads: the start of a record that
 * arrived incomplete (RFC 8446 section 5.1, RFC 5246 section 6.2.1), and decrypted bytes that did not fit the
 * caller's buffer. Both are borrowed from the {@link TlsBufferPool} only while they hold bytes, so an idle
 * connection holds none. Deciding when to keep, grow or hand out is the {@link TlsEngine}'s; this class keeps
 * the bytes and enforces that a kept record never outgrows the session's packet size.
 */
final class InboundRecords {

    private static final int RECORD_HEADER = 5;
    /** change_cipher_spec and heartbeat: the lowest and highest ContentType (RFC 8446 section 5.1). */
    private static final int FIRST_CONTENT_TYPE = 20;
    private static final int LAST_CONTENT_TYPE = 24;

    private final TlsBufferPool pool;
    /** The start of a record that arrived incomplete: write mode, null when none. */
    private ByteBuffer partial;
    /** Decrypted bytes that did not fit {@code appOut}: read mode, null when none. */
    private ByteBuffer decrypted;

    InboundRecords(TlsBufferPool pool) {
        this.pool = pool;
    }

    /** Whether the start of a record is kept: later input must complete it before the engine sees it. */
    boolean hasPartial() {
        return partial != null;
    }

    /** Moves from {@code netIn} only what completes the kept record, so later records unwrap in place. */
    void fillPartial(ByteBuffer netIn) {
        int missing = missing();
        int n = Math.min(missing > 0 ? missing : Integer.MAX_VALUE, Math.min(netIn.remaining(), partial.remaining()));
        if (n > 0) {
            int limit = netIn.limit();
            netIn.limit(netIn.position() + n);
            partial.put(netIn);
            netIn.limit(limit);
        }
    }

    /**
     * Bytes still missing from the kept record according to its TLS header, or 0 when the header says it is
     * complete or it is not a TLS record header (then the engine decides).
     */
    int missing() {
        int have = partial.position();
        if (have < RECORD_HEADER) {
            return RECORD_HEADER - have;
        }
        int type = partial.get(0);
        if (type < FIRST_CONTENT_TYPE || type > LAST_CONTENT_TYPE) {
            return 0;
        }
        int length = RECORD_HEADER + ((partial.get(3) & 0xFF) << 8 | (partial.get(4) & 0xFF));
        return Math.max(0, length - have);
    }

    /**
     * Keeps the rest of {@code netIn}, the start of a record, in a buffer of {@code usualSize} (the packet size
     * the engine wraps with), or more if it is longer.
     *
     * @throws SSLException if the bytes are already longer than {@code maxPacket}, the session's packet size
     */
    void keepPartial(ByteBuffer netIn, int maxPacket, int usualSize) throws SSLException {
        int n = netIn.remaining();
        if (n > maxPacket) {
            throw new SSLException("incomplete TLS record of " + n + " bytes exceeds the packet size " + maxPacket);
        }
        partial = pool.acquire(Math.max(n, Math.min(maxPacket, usualSize)));
        partial.put(netIn);
    }

    /**
     * The engine wants more than the kept bytes: grows to the session's packet size {@code maxPacket}, never
     * beyond.
     */
    void growPartial(int maxPacket) throws SSLException {
        if (partial.hasRemaining()) {
            return;
        }
        if (partial.capacity() >= maxPacket) {
            throw new SSLException("TLS record exceeds the packet size " + maxPacket);
        }
        ByteBuffer bigger = pool.acquire(maxPacket);
        partial.flip();
        bigger.put(partial);
        pool.release(partial);
        partial = bigger;
    }

    /** The kept record in read mode, for one engine unwrap; call {@link #closePartial} after it. */
    ByteBuffer openPartial() {
        return partial.flip();
    }

    /** Keeps what the engine left of the record, or gives the buffer back if it took everything. */
    void closePartial() {
        partial.compact();
        if (partial.position() == 0) {
            pool.release(partial);
            partial = null;
        }
    }

    /** Whether decrypted bytes wait to be handed out before anything else is unwrapped. */
    boolean hasDecrypted() {
        return decrypted != null;
    }

    /** A buffer of {@code size} bytes to decrypt one record into when the caller's has too little room. */
    ByteBuffer overflowBuffer(int size) {
        return pool.acquire(size);
    }

    /** Gives back a buffer from {@link #overflowBuffer} that received no application bytes. */
    void dropOverflow(ByteBuffer unused) {
        pool.release(unused);
    }

    /**
     * Keeps {@code filled}, a buffer from {@link #overflowBuffer} in write mode, as the decrypted bytes to hand
     * out, and hands out as many as {@code appOut} takes.
     */
    void keepDecrypted(ByteBuffer filled, ByteBuffer appOut) {
        decrypted = filled.flip();
        drainDecrypted(appOut);
    }

    /** Copies kept decrypted bytes into {@code appOut}; true if some remain kept. */
    boolean drainDecrypted(ByteBuffer appOut) {
        int n = Math.min(decrypted.remaining(), appOut.remaining());
        int limit = decrypted.limit();
        decrypted.limit(decrypted.position() + n);
        appOut.put(decrypted);
        decrypted.limit(limit);
        if (decrypted.hasRemaining()) {
            return true;
        }
        pool.release(decrypted);
        decrypted = null;
        return false;
    }

    /** Gives every buffer back, whatever it holds. */
    void release() {
        if (partial != null) {
            pool.release(partial);
            partial = null;
        }
        if (decrypted != null) {
            pool.release(decrypted);
            decrypted = null;
        }
    }

    /** Bytes of buffer capacity held right now. */
    int retainedBytes() {
        return (partial == null ? 0 : partial.capacity()) + (decrypted == null ? 0 : decrypted.capacity());
    }
}
