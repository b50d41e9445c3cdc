package io.duplex.core.internal.session;

import io.duplex.core.BufferProvider;
import io.duplex.core.MaskKeySource;
import io.duplex.core.Transport;
import io.duplex.core.internal.buffer.BufferSizes;
import io.duplex.core.internal.frame.FrameEncoder;
import io.duplex.core.internal.frame.Masking;
import io.duplex.core.internal.frame.Opcode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Frames outbound payloads and hands them to the {@link Transport}: the header from the writer's own small
 * buffer, the payload straight from the caller's buffer when no mask is needed, otherwise masked into
 * chunks borrowed from the session's {@link BufferProvider} (a client must not alter the caller's bytes,
 * RFC 6455 §5.3) and given back as soon as the transport returns, since it only borrows them. Splits
 * messages into fragments when configured.
 */
public final class FrameWriter {

    /**
     * Text of at most this many chars fits the scratch payload buffer whatever it holds (a char encodes to at
     * most 3 bytes; a surrogate pair to 4 for its 2 chars), so it is encoded in one pass and framed after.
     */
    static final int ONE_PASS_CHARS = BufferSizes.CHUNK / 3;

    private final Transport out;
    private final boolean mask;
    /** The client's masking keys; null on a server, which sends unmasked. */
    private final MaskKeySource keys;
    private final BufferProvider buffers;
    private final int fragmentSize;
    /** The largest frame header: 2 bytes, 8 of extended length, 4 of masking key. */
    private final ByteBuffer header = ByteBuffer.allocate(14);

    /**
     * @param keys the masking keys of a client, whose frames are masked; {@code null} on a server
     * @param buffers lends the chunks masked or encoded payloads are built in
     */
    public FrameWriter(Transport out, MaskKeySource keys, BufferProvider buffers, int fragmentSize) {
        this.out = out;
        this.mask = keys != null;
        this.keys = keys;
        this.buffers = buffers;
        this.fragmentSize = fragmentSize;
    }

    private int nextKey() {
        return mask ? keys.nextKey() : 0;
    }

    /** A chunk of at least {@code wanted} bytes, capped at {@link BufferSizes#CHUNK}, for building payload in. */
    private ByteBuffer chunk(long wanted) {
        return buffers.acquire((int) Math.max(4, Math.min(wanted, BufferSizes.CHUNK)), false);
    }

    /**
     * Writes {@code payload} as one data message part: as one frame, or as several when it is larger than
     * the fragment size. {@code opcode} is that of the first frame (CONTINUATION when continuing a message).
     */
    public void writeBinary(int opcode, boolean fin, ByteBuffer payload, CompletableFuture<Void> done) {
        writeBinary(opcode, fin, 0, payload, done);
    }

    /** As {@link #writeBinary(int, boolean, ByteBuffer, CompletableFuture)}, with {@code rsv} on the first frame. */
    public void writeBinary(int opcode, boolean fin, int rsv, ByteBuffer payload, CompletableFuture<Void> done) {
        int remaining = payload.remaining();
        if (fragmentSize <= 0 || remaining <= fragmentSize) {
            writeFrame(fin, rsv, opcode, payload, done);
            return;
        }
        int limit = payload.limit();
        while (payload.position() < limit) {
            int end = (int) Math.min((long) payload.position() + fragmentSize, limit);
            payload.limit(end);
            boolean lastPart = end == limit;
            writeFrame(fin && lastPart, rsv, opcode, payload, lastPart ? done : null);
            payload.limit(limit).position(end);
            opcode = Opcode.CONTINUATION;
            rsv = 0;
        }
    }

    /**
     * Whether a payload of {@code length} bytes that the caller gives away may go out through
     * {@link #writeGivenBinary}: as one frame, unmasked. A client masks into scratch chunks instead, because
     * masking in place would change bytes the handler may still read during its callback.
     */
    public boolean canWriteGiven(int length) {
        return !mask && (fragmentSize <= 0 || length <= fragmentSize);
    }

    /**
     * Writes {@code payload}, which the caller gives away, as one whole unmasked binary frame (check
     * {@link #canWriteGiven} first): the transport may queue it by reference ({@link Transport#writeAndRelease})
     * rather than copy what the socket refused.
     */
    public void writeGivenBinary(ByteBuffer payload, CompletableFuture<Void> done, Consumer<ByteBuffer> release) {
        header.clear();
        FrameEncoder.encodeHeader(header, true, 0, Opcode.BINARY, payload.remaining(), false, 0);
        header.flip();
        out.writeAndRelease(header, payload, done, release);
    }

    /** Writes {@code text[from, to)} as text message part(s), like {@link #writeBinary}. */
    public void writeText(int opcode, boolean fin, CharSequence text, int from, int to, CompletableFuture<Void> done) {
        if (fragmentSize <= 0 && to - from <= ONE_PASS_CHARS) {
            writeShortText(fin, opcode, text, from, to, done);
            return;
        }
        if (fragmentSize <= 0) {
            writeTextFrame(fin, opcode, text, from, to, Utf8Encoding.length(text, from, to), done);
            return;
        }
        Utf8Encoding.length(text, from, to);
        int start = from;
        do {
            // Frames end on code point boundaries; each holds at most fragmentSize bytes.
            long bytes = 0;
            int end = start;
            while (end < to) {
                int step = Character.isHighSurrogate(text.charAt(end)) ? 2 : 1;
                long size = Utf8Encoding.length(text, end, end + step);
                if (bytes + size > fragmentSize && end > start) {
                    break;
                }
                bytes += size;
                end += step;
            }
            boolean lastPart = end == to;
            writeTextFrame(fin && lastPart, opcode, text, start, end, bytes, lastPart ? done : null);
            opcode = Opcode.CONTINUATION;
            start = end;
        } while (start < to);
    }

    /** Writes one control frame (payload at most 125 bytes, checked by the caller). */
    public void writeControl(int opcode, ByteBuffer payload, CompletableFuture<Void> done) {
        writeFrame(true, 0, opcode, payload, done);
    }

    /**
     * Writes the automatic answer to a received Ping ({@code payload} at most 125 bytes) through
     * {@link Transport#writePong}, which may let it replace an earlier answer still queued.
     */
    public void writeAutoPong(ByteBuffer payload) {
        int key = nextKey();
        header.clear();
        FrameEncoder.encodeHeader(header, true, 0, Opcode.PONG, payload.remaining(), mask, key);
        header.flip();
        if (!mask) {
            int end = payload.limit();
            out.writePong(header, payload);
            payload.position(end);
            return;
        }
        ByteBuffer chunk = chunk(payload.remaining());
        try {
            Masking.mask(payload, chunk, key, 0);
            chunk.flip();
            out.writePong(header, chunk);
        } finally {
            buffers.release(chunk);
        }
    }

    private void writeFrame(boolean fin, int rsv, int opcode, ByteBuffer payload, CompletableFuture<Void> done) {
        int length = payload.remaining();
        int key = nextKey();
        header.clear();
        FrameEncoder.encodeHeader(header, fin, rsv, opcode, length, mask, key);
        header.flip();
        if (!mask) {
            int end = payload.limit();
            out.write(header, payload, done);
            payload.position(end);
            return;
        }
        long offset = 0;
        int limit = payload.limit();
        ByteBuffer chunk = chunk(length);
        try {
            do {
                chunk.clear();
                int n = Math.min(payload.remaining(), chunk.capacity());
                payload.limit(payload.position() + n);
                Masking.mask(payload, chunk, key, offset);
                payload.limit(limit);
                chunk.flip();
                offset += n;
                boolean lastChunk = !payload.hasRemaining();
                out.write(header, chunk, lastChunk ? done : null);
                header.position(header.limit());
            } while (payload.hasRemaining());
        } finally {
            buffers.release(chunk);
        }
    }

    /**
     * One frame of text that fits the scratch buffer: encoded first (refusing unpaired surrogates before
     * anything is written), then its header, whose length is now known. Longer text is measured first and
     * encoded chunk by chunk ({@link #writeTextFrame}).
     */
    private void writeShortText(boolean fin, int opcode, CharSequence text, int from, int to,
            CompletableFuture<Void> done) {
        ByteBuffer chunk = chunk(3L * (to - from));
        try {
            Utf8Encoding.encodeChecked(text, from, to, chunk);
            chunk.flip();
            int key = nextKey();
            header.clear();
            FrameEncoder.encodeHeader(header, fin, 0, opcode, chunk.remaining(), mask, key);
            header.flip();
            if (mask) {
                Masking.mask(chunk, key, 0);
            }
            out.write(header, chunk, done);
        } finally {
            buffers.release(chunk);
        }
    }

    private void writeTextFrame(boolean fin, int opcode, CharSequence text, int from, int to, long length,
            CompletableFuture<Void> done) {
        int key = nextKey();
        header.clear();
        FrameEncoder.encodeHeader(header, fin, 0, opcode, length, mask, key);
        header.flip();
        long offset = 0;
        int next = from;
        ByteBuffer chunk = chunk(length);
        try {
            do {
                chunk.clear();
                next = Utf8Encoding.encode(text, next, to, chunk);
                chunk.flip();
                if (mask) {
                    Masking.mask(chunk, key, offset);
                }
                offset += chunk.remaining();
                boolean lastChunk = next == to;
                out.write(header, chunk, lastChunk ? done : null);
                header.position(header.limit());
            } while (next < to);
        } finally {
            buffers.release(chunk);
        }
    }
}
