package io.duplex.core.internal.session;

import io.duplex.core.internal.buffer.BufferSizes;
import java.nio.ByteBuffer;

/**
 * Encodes text to UTF-8 in bounded chunks, so a message of any length is framed from a fixed scratch buffer
 * instead of one array the size of the message. Unpaired surrogates are rejected, never replaced: text that
 * cannot be encoded must not silently change on the wire.
 */
final class Utf8Encoding {

    private Utf8Encoding() {
    }

    /**
     * The UTF-8 length of {@code text[from, to)}.
     *
     * @throws IllegalArgumentException at an unpaired surrogate
     */
    static long length(CharSequence text, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= to || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    throw new IllegalArgumentException("unpaired surrogate at index " + i);
                }
                n += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("unpaired surrogate at index " + i);
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Encodes from {@code text[from]} while {@code dst} has room for a whole code point, stopping at {@code to}.
     * The text must have passed {@link #length}.
     *
     * @return the index of the first char not encoded
     */
    static int encode(CharSequence text, int from, int to, ByteBuffer dst) {
        int i = from;
        if (dst.hasArray()) {
            byte[] a = dst.array();
            int p = dst.arrayOffset() + dst.position();
            int end = dst.arrayOffset() + dst.limit();
            for (; i < to; i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    if (p >= end) {
                        break;
                    }
                    a[p++] = (byte) c;
                } else {
                    // Exactly the code point's size: a buffer sized by length() has no slack at its end.
                    int size = c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 4 : 3;
                    if (end - p < size) {
                        break;
                    }
                    if (c < 0x800) {
                        a[p++] = (byte) (0xC0 | c >> 6);
                        a[p++] = (byte) (0x80 | c & 0x3F);
                    } else if (Character.isHighSurrogate(c)) {
                        p = putFour(a, p, Character.toCodePoint(c, text.charAt(++i)));
                    } else {
                        p = putThree(a, p, c);
                    }
                }
            }
            dst.position(p - dst.arrayOffset());
            return i;
        }
        ByteBuffer heap = ByteBuffer.allocate(Math.min(dst.remaining(), BufferSizes.CHUNK));
        int next = encode(text, from, to, heap);
        dst.put(heap.flip());
        return next;
    }

    /**
     * Encodes all of {@code text[from, to)} into {@code dst}'s backing array, which must have room for 3 bytes
     * per char, checking surrogates as it goes: one pass instead of {@link #length} then {@link #encode}.
     *
     * @throws IllegalArgumentException at an unpaired surrogate; {@code dst}'s position is then unchanged
     */
    static void encodeChecked(CharSequence text, int from, int to, ByteBuffer dst) {
        byte[] a = dst.array();
        int start = dst.arrayOffset() + dst.position();
        int p = start;
        int i = from;
        while (i < to) {
            char c = text.charAt(i++);
            if (c < 0x80) {
                a[p++] = (byte) c;
            } else if (c < 0x800) {
                a[p++] = (byte) (0xC0 | c >> 6);
                a[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                char low;
                if (!Character.isHighSurrogate(c) || i >= to || !Character.isLowSurrogate(low = text.charAt(i))) {
                    throw new IllegalArgumentException("unpaired surrogate at index " + (i - 1));
                }
                i++;
                p = putFour(a, p, Character.toCodePoint(c, low));
            } else {
                p = putThree(a, p, c);
            }
        }
        dst.position(dst.position() + (p - start));
    }

    /** Writes a supplementary code point's four bytes at {@code a[p]}; returns the position after them. */
    private static int putFour(byte[] a, int p, int cp) {
        a[p] = (byte) (0xF0 | cp >> 18);
        a[p + 1] = (byte) (0x80 | cp >> 12 & 0x3F);
        a[p + 2] = (byte) (0x80 | cp >> 6 & 0x3F);
        a[p + 3] = (byte) (0x80 | cp & 0x3F);
        return p + 4;
    }

    /** Writes a char from U+0800 up (not a surrogate) as three bytes at {@code a[p]}; returns the position after. */
    private static int putThree(byte[] a, int p, char c) {
        a[p] = (byte) (0xE0 | c >> 12);
        a[p + 1] = (byte) (0x80 | c >> 6 & 0x3F);
        a[p + 2] = (byte) (0x80 | c & 0x3F);
        return p + 3;
    }
}
