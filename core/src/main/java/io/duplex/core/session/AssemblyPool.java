package io.duplex.core.session;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Per-thread free lists of direct buffers for assembling large binary messages. Direct, because the message
 * usually ends up written to a socket (an echo, a relay), and the JDK copies a heap buffer into a temporary
 * direct one on every channel write; pooled, because a fresh megabyte per message costs page faults and GC.
 *
 * <p>Buffers come in power-of-two sizes from {@link #MIN_SIZE} to {@link #MAX_SIZE}; a message needing more is
 * assembled on the heap as before. Each thread keeps at most {@link #MAX_RETAINED_BYTES} of released buffers,
 * so the memory held beyond the messages in flight is bounded per thread, and an idle connection holds none.
 * A buffer may be released on another thread than the one that acquired it: it joins that thread's list.
 */
final class AssemblyPool implements Consumer<ByteBuffer> {

    static final int MIN_SIZE = 64 * 1024;
    static final int MAX_SIZE = 4 * 1024 * 1024;
    static final long MAX_RETAINED_BYTES = 8L * 1024 * 1024;

    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_SIZE / MIN_SIZE) + 1;
    private static final ThreadLocal<AssemblyPool> LOCAL = ThreadLocal.withInitial(AssemblyPool::new);
    /** Releases into the releasing thread's pool: shareable, so handing a buffer over allocates nothing. */
    static final Consumer<ByteBuffer> RELEASE = b -> LOCAL.get().accept(b);

    /** Free buffers per size class, each class a small stack. */
    private final ByteBuffer[][] free = new ByteBuffer[CLASSES][];
    private final int[] count = new int[CLASSES];
    private long retainedBytes;

    private AssemblyPool() {
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ByteBuffer[(int) (MAX_RETAINED_BYTES / (MIN_SIZE << i))];
        }
    }

    static AssemblyPool get() {
        return LOCAL.get();
    }

    /** Whether {@code size} bytes fit a pooled buffer. */
    static boolean fits(long size) {
        return size <= MAX_SIZE;
    }

    /** A cleared direct buffer of at least {@code size} bytes ({@code size} at most {@link #MAX_SIZE}). */
    ByteBuffer acquire(int size) {
        int c = sizeClass(size);
        if (count[c] > 0) {
            ByteBuffer b = free[c][--count[c]];
            free[c][count[c]] = null;
            retainedBytes -= b.capacity();
            return b.clear();
        }
        return ByteBuffer.allocateDirect(MIN_SIZE << c);
    }

    /** Takes back a buffer from {@link #acquire}; kept for reuse while the thread's retained bytes allow. */
    @Override
    public void accept(ByteBuffer buffer) {
        int capacity = buffer.capacity();
        if (!buffer.isDirect() || buffer.isReadOnly() || capacity > MAX_SIZE) {
            return;
        }
        int c = sizeClass(capacity);
        if ((MIN_SIZE << c) != capacity || retainedBytes + capacity > MAX_RETAINED_BYTES
                || count[c] == free[c].length) {
            return; // not one of ours, or over budget: the GC frees it
        }
        free[c][count[c]++] = buffer;
        retainedBytes += capacity;
    }

    /** Bytes held in this thread's free lists. */
    long retainedBytes() {
        return retainedBytes;
    }

    private static int sizeClass(int size) {
        if (size <= MIN_SIZE) {
            return 0;
        }
        return 32 - Integer.numberOfLeadingZeros(size - 1) - Integer.numberOfTrailingZeros(MIN_SIZE);
    }
}
