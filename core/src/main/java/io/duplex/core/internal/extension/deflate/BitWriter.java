package io.duplex.core.internal.extension.deflate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs bits least-significant first (RFC 1951 §3.1.1) into a small staging array, four bytes at a time,
 * and hands whole chunks to the {@link Sink}, so the sink is asked for room once per chunk, not per bit.
 */
final class BitWriter {

    private static final int STAGING = 4096;
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] staging = new byte[STAGING];
    private int staged;
    private long bits;
    private int bitCount;
    private Sink sink;

    void begin(Sink target) {
        this.sink = target;
        this.staged = 0;
        this.bits = 0;
        this.bitCount = 0;
    }

    long retainedBytes() {
        return staging.length;
    }

    /** Appends the low {@code n} bits of {@code value} (n ≤ 32, no bits set above n). */
    void write(int value, int n) {
        bits |= (long) value << bitCount;
        bitCount += n;
        if (bitCount >= 32) {
            if (staged > STAGING - 4) {
                drain();
            }
            INT_LE.set(staging, staged, (int) bits);
            staged += 4;
            bits >>>= 32;
            bitCount -= 32;
        }
    }

    /** Pads with zero bits to a byte boundary and stages the pending whole bytes. */
    void alignToByte() {
        bitCount = (bitCount + 7) & ~7;
        while (bitCount > 0) {
            if (staged == STAGING) {
                drain();
            }
            staging[staged++] = (byte) bits;
            bits >>>= 8;
            bitCount -= 8;
        }
        bits = 0;
    }

    /** Copies {@code length} bytes of {@code src} from absolute {@code index}; the writer must be byte aligned. */
    void writeAlignedBytes(ByteBuffer src, int index, int length) {
        drain();
        ByteBuffer out = sink.ensure(length);
        int at = out.position();
        out.put(at, src, index, length);
        out.position(at + length);
    }

    /** Hands every staged byte to the sink; call once aligned, at the end of a message. */
    void drain() {
        if (staged > 0) {
            sink.ensure(staged).put(staging, 0, staged);
            staged = 0;
        }
    }

    void end() {
        drain();
        sink = null;
    }
}
