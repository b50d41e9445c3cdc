package io.duplex.core.internal.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The shapes of buffer the frame layer must handle: heap or direct, sliced (non-zero array offset), either order. */
enum BufferKind {
    HEAP, HEAP_SLICE, HEAP_LITTLE_ENDIAN, DIRECT, DIRECT_SLICE, DIRECT_LITTLE_ENDIAN;

    /** A buffer whose {@code position..limit} holds {@code content}, starting {@code lead} bytes in, with spare room after. */
    ByteBuffer holding(byte[] content, int lead) {
        ByteBuffer b = allocate(lead + content.length + 5);
        b.position(lead);
        b.put(content);
        b.limit(b.position());
        b.position(lead);
        return b;
    }

    /** An empty buffer with {@code capacity} bytes remaining after {@code lead} bytes. */
    ByteBuffer empty(int capacity, int lead) {
        ByteBuffer b = allocate(lead + capacity);
        b.position(lead);
        return b;
    }

    private ByteBuffer allocate(int size) {
        return switch (this) {
            case HEAP -> ByteBuffer.allocate(size);
            case HEAP_SLICE -> ByteBuffer.allocate(size + 11).position(11).slice();
            case HEAP_LITTLE_ENDIAN -> ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            case DIRECT -> ByteBuffer.allocateDirect(size);
            case DIRECT_SLICE -> ByteBuffer.allocateDirect(size + 13).position(13).slice();
            case DIRECT_LITTLE_ENDIAN -> ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
        };
    }

    /** The bytes between position and limit, without moving either. */
    static byte[] remaining(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
