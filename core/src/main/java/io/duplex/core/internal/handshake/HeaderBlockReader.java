package io.duplex.core.internal.handshake;

import io.duplex.core.BufferProvider;
import io.duplex.core.HandshakeException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects an HTTP/1.1 header block (start line and field lines up to the empty line) from input that may be
 * split at any byte, without reading past it: the bytes behind the block are frames and stay in the buffer.
 *
 * <p>Line ends are held to be exactly CRLF (RFC 9112 §2.2 lets a recipient choose strictness): a CR not
 * followed by LF or an LF not preceded by CR fails at once, so a peer cannot make us wait for a terminator
 * that the other side of a proxy would have seen elsewhere. The buffer grows by doubling up to the limit,
 * so a peer's bytes never size an allocation beyond it.
 */
public final class HeaderBlockReader {

    private static final byte[] NONE = {};

    private final int maxBytes;
    /**
     * Lends the array of a block that arrives in one read (nearly every one), which {@link #release()} gives
     * back: a server parses its request once and then needs the block no more, so with a pooling provider an
     * accepted connection leaves no block's worth of garbage.
     */
    private final BufferProvider buffers;
    /** The buffer {@link #bytes} was borrowed from, or null when the array is the reader's own. */
    private ByteBuffer lease;
    /** Sized when the first bytes arrive: exactly, when the whole block came in one read (the usual case). */
    private byte[] bytes = NONE;
    private int length;
    /** How much of CR LF CR LF the last bytes matched: 0–4. */
    private int matched;

    /** @param maxBytes the largest block accepted, terminator included */
    public HeaderBlockReader(int maxBytes) {
        this(maxBytes, null);
    }

    /**
     * @param maxBytes the largest block accepted, terminator included
     * @param buffers lends the array of a block that arrives in one read, given back by {@link #release()};
     *     {@code null} to allocate it
     */
    public HeaderBlockReader(int maxBytes, BufferProvider buffers) {
        this.maxBytes = maxBytes;
        this.buffers = buffers;
    }

    /**
     * Consumes bytes of {@code in} up to the end of the block.
     *
     * @return whether the block is complete
     * @throws HandshakeException 431 when the block exceeds the limit, 400 on a malformed line end
     */
    public boolean read(ByteBuffer in) throws HandshakeException {
        int start = in.position();
        int limit = in.limit();
        // Scan no further than the limit allows, so an endless line costs at most maxBytes of work.
        int end = Math.min(limit, start + (maxBytes - length));
        int p = start;
        while (p < end && matched < 4) {
            step(in.get(p++));
        }
        int n = p - start;
        if (length == 0 && matched == 4 && buffers != null) {
            lease = buffers.acquire(n, false);
            bytes = lease.array();
        }
        if (length + n > bytes.length) {
            long wanted = matched == 4 && length == 0 ? n : Math.max(Math.max((long) bytes.length * 2, length + n), 512);
            bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, maxBytes));
        }
        in.get(start, bytes, length, n);
        length += n;
        in.position(p);
        if (matched < 4 && length == maxBytes && p < limit) {
            throw new HandshakeException(431, "header block larger than " + maxBytes + " bytes");
        }
        return matched == 4;
    }

    /**
     * Gives a borrowed block array back to the provider and empties this reader. Only for a caller done with
     * {@link #bytes()} that kept no reference into it.
     */
    public void release() {
        if (lease != null) {
            buffers.release(lease);
            lease = null;
        }
        bytes = NONE;
        length = 0;
        matched = 0;
    }

    private void step(byte b) throws HandshakeException {
        boolean afterCr = matched == 1 || matched == 3;
        if (b == '\r') {
            if (afterCr) {
                throw new HandshakeException(400, "CR not followed by LF");
            }
            matched = matched == 2 ? 3 : 1;
        } else if (b == '\n') {
            if (!afterCr) {
                throw new HandshakeException(400, "bare LF line end");
            }
            matched++;
        } else if (afterCr) {
            throw new HandshakeException(400, "CR not followed by LF");
        } else {
            matched = 0;
        }
    }

    /** The block so far; valid up to {@link #length()}, ending in CR LF CR LF once complete. */
    public byte[] bytes() {
        return bytes;
    }

    /** The number of bytes of the block so far. */
    public int length() {
        return length;
    }
}
