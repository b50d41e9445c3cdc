package io.duplex.core.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A test-side frame builder and parser written straight from RFC 6455 §5.2, independent of the codec under
 * test, so session tests compare against bytes the production code did not produce.
 */
final class WireFrames {

    record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        @Override
        public String toString() {
            return "Frame[fin=" + fin + ", rsv=" + rsv + ", op=" + opcode + ", masked=" + masked + ", len="
                    + payload.length + "]";
        }
    }

    private WireFrames() {
    }

    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = mask ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            out.write(maskBit | n);
        } else if (n < 65536) {
            out.write(maskBit | 126);
            out.write(n >>> 8);
            out.write(n & 0xFF);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (((long) n >>> shift) & 0xFF));
            }
        }
        byte[] key = {0x11, 0x22, 0x33, 0x44};
        if (mask) {
            out.write(key, 0, 4);
        }
        for (int i = 0; i < n; i++) {
            out.write(mask ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    /** A masked frame, as a client sends. */
    static byte[] client(boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, payload, true);
    }

    static byte[] close(int code, String reason) {
        byte[] r = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    static List<Frame> parse(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            int b0 = b.get() & 0xFF;
            int b1 = b.get() & 0xFF;
            long len = b1 & 0x7F;
            if (len == 126) {
                len = b.getShort() & 0xFFFF;
            } else if (len == 127) {
                len = b.getLong();
            }
            boolean masked = (b1 & 0x80) != 0;
            byte[] key = new byte[4];
            if (masked) {
                b.get(key);
            }
            byte[] payload = new byte[(int) len];
            b.get(payload);
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= key[i & 3];
                }
            }
            frames.add(new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0F, masked, payload));
        }
        return frames;
    }

    static byte[] bytes(int n, int seed) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (i * 31 + seed);
        }
        return a;
    }

    static String hex(byte[] a) {
        return Arrays.toString(a);
    }
}
