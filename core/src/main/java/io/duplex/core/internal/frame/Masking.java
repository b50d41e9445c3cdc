package io.duplex.core.internal.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;

/**
 * Client-to-server masking (RFC 6455 §5.3): payload byte {@code i} is XORed with byte {@code i mod 4} of the
 * 4-byte masking key, key byte 0 being the first byte on the wire (the most significant byte of the
 * {@code int} key). Applying the same key twice restores the data.
 *
 * <p>A payload may reach us split at any byte, so each call takes the payload offset of its first byte and
 * rotates the key by {@code offset & 3}. The work is done eight bytes per step with the key widened to a
 * {@code long}; only the last {@code length mod 8} bytes are done one by one.
 *
 * <p>Loads and stores are in the platform's native byte order whatever the buffer's {@link ByteBuffer#order()},
 * so that no step pays for a byte swap, and go through view {@link VarHandle}s, which reach heap and direct
 * buffers alike without allocating a differently ordered view per call.
 *
 * <p>A byte-buffer view {@code VarHandle} is only fast once C2 has inlined its whole access path, and C2 does
 * not inline a method whose signature names a class that is not loaded yet. On JDK 17 one step of that path
 * returns {@code jdk.internal.access.foreign.MemorySegmentProxy} (on later JDKs
 * {@code java.lang.foreign.MemorySegment}), which nothing loads until some compilation happens to, so whether
 * the buffer loops below were compiled with two calls per eight bytes or with none depended on the order in
 * which the JIT met them. Loading those classes with this one removes the race.
 */
public final class Masking {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final VarHandle ARRAY_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, NATIVE);
    /** Honours the buffer's bounds and read-only-ness; ignores its byte order, which is what we want here. */
    private static final VarHandle BUFFER_LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, NATIVE);

    static {
        // The type that BUFFER_LONGS's access path names in its signatures: on JDK 17, then on later JDKs.
        loadIfPresent("jdk.internal.access.foreign.MemorySegmentProxy");
        loadIfPresent("java.lang.foreign.MemorySegment");
    }

    private Masking() {
    }

    /** Loads (without initializing) a JDK class so that C2 sees it loaded; see the class comment. */
    private static void loadIfPresent(String name) {
        try {
            Class.forName(name, false, ByteBuffer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            // Not on this JDK: its access path does not name this class.
        }
    }

    /**
     * XORs {@code buf[position..limit)} in place with {@code key}, as if the first byte were at payload offset
     * {@code offset}. Does not move the position. Works on heap buffers (any array offset) and direct ones.
     *
     * @throws ReadOnlyBufferException if {@code buf} is read-only and the range is not empty
     */
    public static void mask(ByteBuffer buf, int key, long offset) {
        int k = rotate(key, offset);
        int from = buf.position();
        int to = buf.limit();
        if (buf.hasArray()) {
            int base = buf.arrayOffset();
            maskArray(buf.array(), base + from, base + to, k);
        } else {
            maskBuffer(buf, from, to, k);
        }
    }

    /**
     * Copies {@code src[position..limit)} masked into {@code dst} at {@code dst.position()}, as if the first
     * byte were at payload offset {@code offset}, and advances both positions. {@code src} is not modified,
     * so a client can mask a user's buffer on its way out. The two regions must not overlap.
     *
     * @throws BufferOverflowException if {@code dst} has fewer bytes remaining than {@code src}
     * @throws ReadOnlyBufferException if {@code dst} is read-only
     */
    public static void mask(ByteBuffer src, ByteBuffer dst, int key, long offset) {
        int n = src.remaining();
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (dst.remaining() < n) {
            throw new BufferOverflowException();
        }
        int k = rotate(key, offset);
        int s = src.position();
        int d = dst.position();
        if (src.hasArray() && dst.hasArray()) {
            copyArray(src.array(), src.arrayOffset() + s, dst.array(), dst.arrayOffset() + d, n, k);
        } else {
            copyBuffer(src, s, dst, d, n, k);
        }
        src.position(s + n);
        dst.position(d + n);
    }

    /** The key rotated so that its most significant byte is the one that masks payload byte {@code offset}. */
    static int rotate(int key, long offset) {
        return Integer.rotateLeft(key, ((int) offset & 3) << 3);
    }

    /** The key byte that masks the byte {@code i} places after the one the rotated key {@code k} starts at. */
    private static byte keyByte(int k, int i) {
        return (byte) (k >>> (24 - ((i & 3) << 3)));
    }

    /** The rotated key repeated twice, laid out so that a native-order load lines up with it. */
    private static long widen(int k) {
        long w = k & 0xFFFF_FFFFL;
        long bigEndian = (w << 32) | w;
        return NATIVE == ByteOrder.LITTLE_ENDIAN ? Long.reverseBytes(bigEndian) : bigEndian;
    }

    private static void maskArray(byte[] a, int from, int to, int k) {
        long k64 = widen(k);
        int i = from;
        for (int end = to - 7; i < end; i += 8) {
            ARRAY_LONGS.set(a, i, (long) ARRAY_LONGS.get(a, i) ^ k64);
        }
        // Whole 8-byte steps keep the key phase, so the tail starts again at key byte 0.
        for (int r = 0; i < to; i++, r++) {
            a[i] ^= keyByte(k, r);
        }
    }

    /** Direct and read-only buffers; indices are the buffer's own, so its array offset plays no part. */
    private static void maskBuffer(ByteBuffer b, int from, int to, int k) {
        long k64 = widen(k);
        int i = from;
        for (int end = to - 7; i < end; i += 8) {
            BUFFER_LONGS.set(b, i, (long) BUFFER_LONGS.get(b, i) ^ k64);
        }
        for (int r = 0; i < to; i++, r++) {
            b.put(i, (byte) (b.get(i) ^ keyByte(k, r)));
        }
    }

    private static void copyArray(byte[] src, int s, byte[] dst, int d, int n, int k) {
        long k64 = widen(k);
        int i = 0;
        for (int end = n - 7; i < end; i += 8) {
            ARRAY_LONGS.set(dst, d + i, (long) ARRAY_LONGS.get(src, s + i) ^ k64);
        }
        for (; i < n; i++) {
            dst[d + i] = (byte) (src[s + i] ^ keyByte(k, i));
        }
    }

    /** Any mix of heap, direct and read-only buffers: both sides are read and written in native order. */
    private static void copyBuffer(ByteBuffer src, int s, ByteBuffer dst, int d, int n, int k) {
        long k64 = widen(k);
        int i = 0;
        for (int end = n - 7; i < end; i += 8) {
            BUFFER_LONGS.set(dst, d + i, (long) BUFFER_LONGS.get(src, s + i) ^ k64);
        }
        for (; i < n; i++) {
            dst.put(d + i, (byte) (src.get(s + i) ^ keyByte(k, i)));
        }
    }
}
