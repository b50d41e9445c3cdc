package io.duplex.core.internal.extension.deflate;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A test sink, heap or direct, that grows by half when short (from a tiny start it is asked to grow often). */
final class GrowableSink implements Sink {

    private final boolean direct;
    private ByteBuffer buffer;
    int ensureCalls;

    GrowableSink(boolean direct, int initialCapacity) {
        this.direct = direct;
        this.buffer = allocate(initialCapacity);
    }

    @Override
    public ByteBuffer ensure(int minRemaining) {
        ensureCalls++;
        if (buffer.remaining() < minRemaining) {
            ByteBuffer bigger = allocate(Math.max(buffer.position() + minRemaining, buffer.capacity() * 3 / 2));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        return buffer;
    }

    /** Returns everything written since the last call and empties the sink. */
    byte[] take() {
        byte[] bytes = new byte[buffer.position()];
        buffer.flip();
        buffer.get(bytes);
        buffer.clear();
        return bytes;
    }

    private ByteBuffer allocate(int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    static byte[] withoutTail(byte[] message) {
        return Arrays.copyOf(message, message.length - 4);
    }
}
