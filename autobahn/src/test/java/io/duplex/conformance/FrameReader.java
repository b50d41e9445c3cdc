package io.duplex.conformance;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Parses frames from the testee's byte stream, written from RFC 6455 §5.2 independently of the decoder
 * under test. Strict about what the testee sends: a minimal length encoding and a 64-bit length with its top
 * bit clear, as §5.2 requires of every sender.
 */
final class FrameReader {

    /** Frames larger than this are a testee bug, not something to allocate for. */
    private static final long MAX_PAYLOAD = 64L << 20;

    private final InputStream in;

    FrameReader(InputStream in) {
        this.in = in;
    }

    /** The next frame, or null when the stream ends cleanly between frames. */
    Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte();
        boolean masked = (b1 & 0x80) != 0;
        long length = b1 & 0x7F;
        if (length == 126) {
            length = readUnsigned(2);
            if (length < 126) {
                throw new AssertionError("16-bit length " + length + " is not the minimal encoding (§5.2)");
            }
        } else if (length == 127) {
            length = readUnsigned(8);
            if (length < 0) {
                throw new AssertionError("64-bit length with its most significant bit set (§5.2)");
            }
            if (length <= 0xFFFF) {
                throw new AssertionError("64-bit length " + length + " is not the minimal encoding (§5.2)");
            }
        }
        if (length > MAX_PAYLOAD) {
            throw new AssertionError("frame of " + length + " bytes is more than the test expects");
        }
        byte[] mask = masked ? readFully(4) : null;
        byte[] payload = readFully((int) length);
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return new Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0xF, mask, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame");
        }
        return b;
    }

    private long readUnsigned(int bytes) throws IOException {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | readByte();
        }
        return v;
    }

    private byte[] readFully(int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new EOFException("stream ended inside a frame payload (" + off + " of " + n + " bytes)");
            }
            off += r;
        }
        return b;
    }
}
