package io.duplex.core.internal.buffer;

/** The buffer sizes the session's code and the core's {@code BufferProvider.pooled()} agree on. */
public final class BufferSizes {

    /** The chunk frames are built in, and the smallest pooled buffer. */
    public static final int CHUNK = 64 * 1024;
    /** The largest direct buffer worth asking a provider for; a larger message is assembled on the heap. */
    public static final int MAX_DIRECT = 4 * 1024 * 1024;

    private BufferSizes() {
    }
}
