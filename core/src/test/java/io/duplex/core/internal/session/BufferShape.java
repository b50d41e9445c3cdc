package io.duplex.core.internal.session;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The ways a chunk of input can reach a validator. Bytes outside the chunk are 0xFF, which is never valid
 * UTF-8, so reading past either end of the chunk shows up as a wrong verdict.
 */
enum BufferShape {
    /** A heap buffer wrapping exactly the chunk. */
    HEAP,
    /** A heap buffer slice with a non-zero array offset and a non-zero position. */
    HEAP_WITH_OFFSET,
    /** A read-only heap buffer, which hides its array, with a non-zero position. */
    READ_ONLY_HEAP,
    /** A direct buffer with a non-zero position. */
    DIRECT,
    /** The {@code byte[]} overload with a non-zero offset. */
    ARRAY;

    private static final int PAD = 11;
    private static final byte POISON = (byte) 0xFF;

    /**
     * Feeds {@code data[from..to)} to {@code validator} in this shape and checks the buffer's position and
     * limit were left alone.
     */
    boolean feed(Utf8Validator validator, byte[] data, int from, int to) {
        int length = to - from;
        byte[] padded = new byte[PAD + length + PAD];
        Arrays.fill(padded, POISON);
        System.arraycopy(data, from, padded, PAD, length);
        if (this == ARRAY) {
            return validator.validate(padded, PAD, length);
        }
        ByteBuffer buf = buffer(padded);
        int position = buf.position();
        int limit = buf.limit();
        boolean result = validator.validate(buf);
        if (buf.position() != position || buf.limit() != limit) {
            throw new AssertionError("validate moved the buffer: " + buf);
        }
        return result;
    }

    /** A buffer whose position..limit is {@code padded[PAD..length-PAD)}. */
    private ByteBuffer buffer(byte[] padded) {
        int chunkEnd = padded.length - PAD;
        switch (this) {
            case HEAP:
                return ByteBuffer.wrap(Arrays.copyOfRange(padded, PAD, chunkEnd));
            case HEAP_WITH_OFFSET: {
                ByteBuffer slice = ByteBuffer.wrap(padded, 3, padded.length - 3).slice();
                return slice.position(PAD - 3).limit(chunkEnd - 3);
            }
            case READ_ONLY_HEAP:
                return ByteBuffer.wrap(padded).asReadOnlyBuffer().position(PAD).limit(chunkEnd);
            case DIRECT: {
                ByteBuffer direct = ByteBuffer.allocateDirect(padded.length);
                direct.put(padded).clear();
                return direct.position(PAD).limit(chunkEnd);
            }
            default:
                throw new IllegalStateException(name());
        }
    }
}
