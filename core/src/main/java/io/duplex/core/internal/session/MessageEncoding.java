package io.duplex.core.internal.session;

import io.duplex.core.BufferProvider;
import io.duplex.core.Extension;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.internal.buffer.BufferSizes;
import java.nio.ByteBuffer;

/**
 * Prepares outgoing messages that an {@link Extension} transforms: text to UTF-8 bytes, then the extension's
 * encoding into a buffer borrowed from the session's {@link BufferProvider}, which the frame writer reads and
 * {@link #done} gives back. One per session, made with its first encoded message.
 */
public final class MessageEncoding implements ExtensionOutput {

    private final BufferProvider buffers;
    /** The output of the encoding in progress, borrowed from {@link #buffers}; null between encodings. */
    private ByteBuffer buffer;

    /** @param buffers lends the output buffers */
    public MessageEncoding(BufferProvider buffers) {
        this.buffers = buffers;
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

    /**
     * Runs {@code data} through {@code extension}'s encoder. The result is borrowed: pass it to {@link #done}
     * once it was written.
     */
    public ByteBuffer encode(Extension extension, ByteBuffer data, boolean endOfMessage) {
        buffer = buffers.acquire(Math.max(256, Math.min(data.remaining(), BufferSizes.CHUNK)), false);
        try {
            extension.encode(data, endOfMessage, this);
        } catch (RuntimeException | Error e) {
            done(buffer);
            throw e;
        }
        ByteBuffer out = buffer.flip();
        buffer = null;
        return out;
    }

    /** Gives back a result of {@link #encode}. */
    public void done(ByteBuffer encoded) {
        buffers.release(encoded);
        if (encoded == buffer) {
            buffer = null;
        }
    }

    /** Room for the extension's output: the buffer, grown by doubling as needed. */
    @Override
    public ByteBuffer buffer(int wanted) {
        if (buffer.remaining() < Math.max(wanted, 1)) {
            long size = Math.max(2L * buffer.capacity(), (long) buffer.position() + wanted);
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("encoded message over 2 GiB");
            }
            ByteBuffer grown = buffers.acquire((int) size, false);
            grown.put(buffer.flip());
            buffers.release(buffer);
            buffer = grown;
        }
        return buffer;
    }
}
