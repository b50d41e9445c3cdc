package io.duplex.core.handshake;

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

    /**
     * A spare block array per thread: a reader whose whole block arrives in one read (nearly every one) takes
     * it rather than allocate, and {@link #release()} gives the array back. A server parses its request once
     * and then needs the block no more, so without the spare every accepted connection would leave a block's
     * worth of garbage. Taking empties the slot, so a reader that never releases (or one nested on the same
     * thread) simply allocates: no two readers ever share an array.
     */
    private static final ThreadLocal<byte[][]> SPARE = ThreadLocal.withInitial(() -> new byte[1][]);

    private final int maxBytes;
    /** Sized when the first bytes arrive: exactly, when the whole block came in one read (the usual case). */
    private byte[] bytes = NONE;
    private int length;
    /** How much of CR LF CR LF the last bytes matched: 0–4. */
    private int matched;

    /** @param maxBytes the largest block accepted, terminator included */
    public HeaderBlockReader(int maxBytes) {
        this.maxBytes = maxBytes;
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
        if (length == 0 && matched == 4) {
            bytes = takeSpare(n);
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

    /** The thread's spare array if it holds {@code n} bytes, taken out of its slot; else {@link #NONE}. */
    private static byte[] takeSpare(int n) {
        byte[][] slot = SPARE.get();
        byte[] spare = slot[0];
        if (spare == null || spare.length < n) {
            return NONE;
        }
        slot[0] = null;
        return spare;
    }

    /**
     * Gives the block's array to the thread's spare slot (when larger than the spare there) and empties this
     * reader. Only for a caller done with {@link #bytes()} that kept no reference into it.
     */
    public void release() {
        byte[][] slot = SPARE.get();
        if (slot[0] == null || slot[0].length < bytes.length) {
            slot[0] = bytes;
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
