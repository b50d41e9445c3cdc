package io.duplex.core.internal.frame;

import java.nio.ByteBuffer;

/** Builds wire bytes for tests: from the encoder for valid frames, by hand for invalid ones. */
final class TestFrames {

    private TestFrames() {
    }

    /** Bytes given as ints, so tests can write {@code 0x81} without casts. */
    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A whole frame as FrameEncoder and Masking write it. */
    static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, boolean mask, int key) {
        ByteBuffer out = ByteBuffer.allocate(FrameEncoder.headerLength(payload.length, mask) + payload.length);
        FrameEncoder.encodeHeader(out, fin, rsv, opcode, payload.length, mask, key);
        if (mask) {
            Masking.mask(ByteBuffer.wrap(payload), out, key, 0);
        } else {
            out.put(payload);
        }
        return out.array();
    }
}
