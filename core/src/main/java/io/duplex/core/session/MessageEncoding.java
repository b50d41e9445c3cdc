package io.duplex.core.session;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionOutput;
import java.nio.ByteBuffer;

/**
 * Prepares outgoing messages that an {@link Extension} transforms: text to UTF-8 bytes, then the extension's
 * encoding into a per-thread output buffer that the frame writer borrows.
 */
public final class MessageEncoding {

    /** Output buffers larger than this are dropped after use rather than kept by the thread. */
    private static final int RETAINED_OUTPUT_BYTES = 1 << 20;

    private static final ThreadLocal<GrowableOutput> OUTPUT = ThreadLocal.withInitial(GrowableOutput::new);

    private MessageEncoding() {
    }

    /**
     * The UTF-8 length of {@code text[from, to)}.
     *
     * @throws IllegalArgumentException at an unpaired surrogate
     */
    public static long utf8Length(CharSequence text, int from, int to) {
        return Utf8Encoding.length(text, from, to);
    }

    /**
     * {@code text[from, to)} as UTF-8.
     *
     * @throws IllegalArgumentException at an unpaired surrogate, or for text over 2 GiB of UTF-8
     */
    public static ByteBuffer utf8(CharSequence text, int from, int to) {
        long length = Utf8Encoding.length(text, from, to);
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("text too long to encode: " + length + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) length);
        Utf8Encoding.encode(text, from, to, out);
        return out.flip();
    }

    /** Runs {@code data} through {@code extension}'s encoder; the result is valid until this thread's next call. */
    public static ByteBuffer encode(Extension extension, ByteBuffer data, boolean endOfMessage) {
        GrowableOutput out = OUTPUT.get();
        out.reset();
        extension.encode(data, endOfMessage, out);
        return out.buffer.flip();
    }

    /** An output that doubles as needed. */
    private static final class GrowableOutput implements ExtensionOutput {
        private ByteBuffer buffer = ByteBuffer.allocate(Scratch.CHUNK);

        void reset() {
            if (buffer.capacity() > RETAINED_OUTPUT_BYTES) {
                buffer = ByteBuffer.allocate(Scratch.CHUNK);
            }
            buffer.clear();
        }

        @Override
        public ByteBuffer buffer(int wanted) {
            if (buffer.remaining() < Math.max(wanted, 1)) {
                long size = Math.max(2L * buffer.capacity(), (long) buffer.position() + wanted);
                if (size > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("encoded message over 2 GiB");
                }
                ByteBuffer grown = ByteBuffer.allocate((int) size);
                grown.put(buffer.flip());
                buffer = grown;
            }
            return buffer;
        }
    }
}
