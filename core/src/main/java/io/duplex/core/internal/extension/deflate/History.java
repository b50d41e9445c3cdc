package io.duplex.core.internal.extension.deflate;

import java.nio.ByteBuffer;

/**
 * The last bytes of one direction's uncompressed DEFLATE stream, as far back as its back-references may
 * reach: what a native codec given back to the pool while its connection is idle must be primed with
 * ({@code setDictionary}) to continue the stream, since {@link java.util.zip.Deflater} and
 * {@link java.util.zip.Inflater} cannot hand out their window. The array grows with what actually passed, in
 * powers of two up to the capacity, and then serves as a ring. Not thread-safe.
 */
final class History {

    private static final int MIN_ARRAY = 256;

    private final int capacity;
    /** Null until the first byte, and again after {@link #clear()}. */
    private byte[] bytes;
    /** Bytes held: at most the array's length. */
    private int length;
    /** Where the next byte goes; once the array is full, also where the oldest byte is. */
    private int next;

    /** @param capacity the most bytes kept: the window, a power of two */
    History(int capacity) {
        this.capacity = capacity;
    }

    /** Appends {@code src}'s bytes at indexes {@code from} to {@code to}; its position does not move. */
    void append(ByteBuffer src, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        if (n >= capacity) {
            if (bytes == null || bytes.length < capacity) {
                bytes = new byte[capacity];
            }
            src.get(to - capacity, bytes, 0, capacity);
            length = capacity;
            next = 0;
            return;
        }
        int size = bytes == null ? 0 : bytes.length;
        if (length + n > size && size < capacity) {
            grow(length + n);
        }
        int first = Math.min(n, bytes.length - next);
        src.get(from, bytes, next, first);
        if (first < n) {
            src.get(from + first, bytes, 0, n - first);
        }
        next = (next + n) % bytes.length;
        length = Math.min(bytes.length, length + n);
    }

    /** Replaces the array with one of at least {@code needed} bytes (at most the capacity), oldest byte first. */
    private void grow(int needed) {
        int size = Math.max(MIN_ARRAY, Integer.highestOneBit(needed - 1) << 1);
        byte[] grown = new byte[Math.min(capacity, size)];
        if (length > 0) {
            System.arraycopy(linear(), 0, grown, 0, length);
        }
        bytes = grown;
        next = length % grown.length;
    }

    /** Bytes held. */
    int length() {
        return length;
    }

    /**
     * The array, rotated in place so that its first {@link #length()} bytes are the history, oldest first.
     * Only while {@link #length()} is positive.
     */
    byte[] linear() {
        if (length == bytes.length && next != 0) {
            reverse(0, next);
            reverse(next, length);
            reverse(0, length);
            next = 0;
        }
        return bytes;
    }

    private void reverse(int from, int to) {
        for (int i = from, j = to - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
    }

    /** Forgets everything and lets go of the array. */
    void clear() {
        bytes = null;
        length = 0;
        next = 0;
    }

    /** Heap bytes of the array. */
    long retainedBytes() {
        return bytes == null ? 0 : bytes.length;
    }
}
