package io.duplex.core.internal.session;

import io.duplex.core.BufferProvider;
import io.duplex.core.CloseStatus;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketException;
import io.duplex.core.internal.buffer.BufferSizes;
import io.duplex.core.internal.frame.FrameListener;
import io.duplex.core.internal.frame.Masking;
import io.duplex.core.internal.frame.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns decoded frames into messages: enforces the message-size and fragment-count limits from the length
 * fields before buffering, validates text as UTF-8 chunk by chunk so invalid bytes fail the connection at
 * once (not at message end), collects control-frame payloads, and hands the results to a {@link MessageSink}.
 * It is fed by the frame decoder, or by the {@link ExtensionChain}'s stage when the connection has extensions:
 * then a message an extension claimed starts with {@link #onDecodedMessageHeader}, and its data arrives as the
 * extension's output, written into this assembler's memory ({@link ExtensionOutput}) and announced with
 * {@link #onDecoded}. RSV bits are the chain's and the decoder's to check; this class ignores them.
 *
 * <p>A message that arrives as one frame whose payload is contiguous in the input is delivered as a view of
 * the input with no copy. Only messages split across frames or reads are copied into an assembly buffer,
 * which is dropped after the message when it grew large, so an idle connection holds no buffer. A large
 * binary message is assembled in a pooled direct buffer (from the session's {@link BufferProvider}), offered
 * to the sender through the {@link BufferHandoff} while it is delivered, and returned after delivery unless
 * it was taken.
 */
public final class MessageAssembler implements FrameListener, ExtensionOutput {

    /** Assembly buffers up to this size are kept for the next message; larger ones are dropped. */
    private static final int RETAINED_BUFFER_BYTES = 4096;
    /** Zero capacity, so nobody can move its position or limit: safe to share between connections. */
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final MessageSink sink;
    /** Lends the buffers large binary messages are assembled in. */
    private final BufferProvider buffers;
    /** Where a binary message assembled in a borrowed buffer is offered while it is delivered. */
    private final BufferHandoff handoff;
    private final long maxMessageSize;
    private final int maxFragments;
    private final boolean streaming;
    /** Created with the first text message, so a connection that never receives text holds none. */
    private Utf8Validator utf8;

    /**
     * Collects a control frame's payload when it arrives in pieces (split across reads); created the first
     * time that happens. A payload that arrives whole is delivered from the input, so an idle connection, or
     * one whose pings arrive in one piece, holds no buffer. At most 125 bytes (RFC 6455 §5.5).
     */
    private ByteBuffer control;
    /** Whether the control frame in progress was already delivered straight from the input. */
    private boolean controlDelivered;

    private int frameOpcode;
    private boolean frameFin;
    private long frameLength;
    private long frameReceived;

    /**
     * The type of the latest data message (TEXT or BINARY), from its first frame. Whether one is in progress
     * is the frame decoder's to know: it fails a continuation without a start before this class sees it.
     */
    private int messageOpcode;
    private long messageSize;
    /** Whether the message was handed out straight from the input, so there is nothing assembled to deliver. */
    private boolean deliveredInPlace;
    /** Whether an extension decodes the message in progress, so its data arrives through {@link #onDecoded}. */
    private boolean decoding;
    /** Decoded bytes of the message so far, counted against the message limit as they are produced. */
    private long decodedSize;
    /** How much of the assembly buffer has passed UTF-8 validation (decoded text is checked as it grows). */
    private int validated;
    /** Streaming mode with an extension: decoded bytes waiting to be delivered as a fragment. */
    private ByteBuffer decodedPart;
    private int fragments;
    private ByteBuffer assembly;
    /** Whether {@link #assembly} came from {@link #buffers} and goes back there after the message. */
    private boolean pooled;
    /** In streaming text mode: the bytes of a code point cut by a chunk boundary, carried to the next chunk. */
    private byte[] carry;
    private int carryLength;

    /**
     * @param buffers lends the buffers large binary messages are assembled in
     * @param handoff where such a buffer is offered while its message is delivered
     */
    public MessageAssembler(WebSocketConfig config, MessageSink sink, BufferProvider buffers, BufferHandoff handoff) {
        this.sink = sink;
        this.buffers = buffers;
        this.handoff = handoff;
        this.maxMessageSize = config.maxMessageSize();
        this.maxFragments = config.maxFragmentsPerMessage();
        this.streaming = config.streaming();
    }

    @Override
    public void onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) throws WebSocketException {
        frameHeader(fin, opcode, payloadLength, false);
    }

    /**
     * The first frame of a data message that an extension of the {@link ExtensionChain} decodes: from now on
     * until the message ends, its data arrives through {@link #buffer} and {@link #onDecoded}, not as payload,
     * and the chain bounds its wire bytes.
     */
    void onDecodedMessageHeader(boolean fin, int opcode, long payloadLength) throws WebSocketException {
        frameHeader(fin, opcode, payloadLength, true);
    }

    private void frameHeader(boolean fin, int opcode, long payloadLength, boolean decoded) throws WebSocketException {
        frameOpcode = opcode;
        frameFin = fin;
        frameLength = payloadLength;
        frameReceived = 0;
        if (Opcode.isControl(opcode)) {
            controlDelivered = false;
            if (control != null) {
                control.clear();
            }
            return;
        }
        if (opcode != Opcode.CONTINUATION) {
            decoding = decoded;
            decodedSize = 0;
            validated = 0;
            messageOpcode = opcode;
            messageSize = 0;
            deliveredInPlace = false;
            fragments = 0;
            if (opcode == Opcode.TEXT) {
                if (utf8 == null) {
                    utf8 = new Utf8Validator();
                }
                utf8.reset();
            }
            carryLength = 0;
        }
        if (++fragments > maxFragments) {
            throw new WebSocketException(CloseStatus.MESSAGE_TOO_BIG,
                    "message spans more than " + maxFragments + " frames");
        }
        if (!decoding && payloadLength > maxMessageSize - messageSize) {
            throw new WebSocketException(CloseStatus.MESSAGE_TOO_BIG,
                    "message larger than " + maxMessageSize + " bytes");
        }
    }

    @Override
    public void onPayload(ByteBuffer chunk) throws WebSocketException {
        int n = chunk.remaining();
        frameReceived += n;
        if (Opcode.isControl(frameOpcode)) {
            if (frameReceived == frameLength && n == frameLength) {
                controlDelivered = true;
                deliverControl(chunk);
            } else {
                if (control == null) {
                    control = ByteBuffer.allocate(125);
                }
                control.put(chunk);
            }
            return;
        }
        messageSize += n;
        if (messageOpcode == Opcode.TEXT && !utf8.validate(chunk)) {
            throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA, "text is not valid UTF-8");
        }
        if (streaming) {
            deliverFragment(chunk, frameFin && frameReceived == frameLength);
            return;
        }
        if (isWholeMessage(n)) {
            if (messageOpcode == Opcode.TEXT && !utf8.isComplete()) {
                throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA, "text ends inside a UTF-8 sequence");
            }
            deliveredInPlace = true;
            deliverMessage(chunk);
            return;
        }
        ensureAssembly(n).put(chunk);
    }

    /**
     * A masked chunk that is going to be assembled anyway is unmasked on its way into the assembly buffer,
     * so its bytes are read and written once rather than unmasked in the input and then copied; with large
     * messages the input has usually left the cache since the kernel wrote it, which makes each pass count.
     * Everything else (control frames, streaming, a message whole in the input) is unmasked in place and
     * delivered from the input.
     */
    @Override
    public void onMaskedPayload(ByteBuffer chunk, int maskingKey, long payloadOffset) throws WebSocketException {
        int n = chunk.remaining();
        if (Opcode.isControl(frameOpcode) || streaming || isWholeMessage(n)) {
            Masking.mask(chunk, maskingKey, payloadOffset);
            onPayload(chunk);
            return;
        }
        frameReceived += n;
        messageSize += n;
        ByteBuffer dst = ensureAssembly(n);
        int start = dst.position();
        Masking.mask(chunk, dst, maskingKey, payloadOffset);
        // Text is assembled in a heap buffer (only binary goes to the pool's direct ones).
        if (messageOpcode == Opcode.TEXT && !utf8.validate(dst.array(), dst.arrayOffset() + start, n)) {
            throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA, "text is not valid UTF-8");
        }
    }

    /** Whether a chunk of {@code n} bytes of the current data frame is a whole single-frame message. */
    private boolean isWholeMessage(int n) {
        return frameFin && frameOpcode != Opcode.CONTINUATION && n == frameLength;
    }

    @Override
    public void onFrameEnd() throws WebSocketException {
        if (Opcode.isControl(frameOpcode)) {
            if (!controlDelivered) {
                // Empty, or collected from pieces: with no piece at all the buffer may not exist.
                deliverControl(control == null ? EMPTY : control.flip());
            }
            return;
        }
        if (!frameFin) {
            return;
        }
        if (decoding && streaming) {
            flushDecoded(true);
            endMessage();
            return;
        }
        if (messageOpcode == Opcode.TEXT && !utf8.isComplete()) {
            throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA, "text ends inside a UTF-8 sequence");
        }
        if (streaming) {
            if (frameLength == 0) {
                deliverFragment(EMPTY, true);
            }
        } else if (!deliveredInPlace) {
            deliverMessage(assembly == null ? EMPTY : assembly.flip());
        }
        endMessage();
    }

    /**
     * The extension wrote more of the message through {@link #buffer}: checks what it wrote (size, UTF-8) and,
     * when streaming, delivers it. Called after each piece of payload the extension consumed, and once more
     * with {@code endOfMessage} after its last output, before the final frame's {@link #onFrameEnd}.
     */
    void onDecoded(boolean endOfMessage) throws WebSocketException {
        if (streaming) {
            if (!endOfMessage && decodedPart != null && decodedPart.position() > 0) {
                flushDecoded(false);
            }
            return;
        }
        if (assembly == null) {
            return;
        }
        checkDecodedSize(assembly.position());
        if (messageOpcode == Opcode.TEXT) {
            int end = assembly.position();
            if (!utf8.validate(assembly.array(), validated, end - validated)) {
                throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA, "text is not valid UTF-8");
            }
            validated = end;
        }
    }

    /**
     * Room for an extension's output: the assembly buffer, grown by doubling but never past one byte over the
     * message limit, so a decompression bomb is stopped as soon as it exceeds the limit.
     */
    @Override
    public ByteBuffer buffer(int wanted) throws WebSocketException {
        if (streaming) {
            if (decodedPart == null) {
                decodedPart = ByteBuffer.allocate(8192);
            } else if (!decodedPart.hasRemaining()) {
                flushDecoded(false);
            }
            return decodedPart;
        }
        int used = assembly == null ? 0 : assembly.position();
        checkDecodedSize(used);
        if (assembly == null || assembly.remaining() < wanted) {
            long cap = maxMessageSize + 1;
            long doubled = assembly == null ? 0 : 2L * assembly.capacity();
            long size = Math.min(cap, Math.max(doubled, used + (long) Math.max(wanted, 256)));
            if (assembly == null || size > assembly.capacity()) {
                ByteBuffer grown = ByteBuffer.allocate((int) size);
                if (assembly != null) {
                    grown.put(assembly.flip());
                }
                assembly = grown;
            }
        }
        if (!assembly.hasRemaining()) {
            checkDecodedSize(maxMessageSize + 1);
        }
        return assembly;
    }

    private void checkDecodedSize(long size) throws WebSocketException {
        if (size > maxMessageSize) {
            throw new WebSocketException(CloseStatus.MESSAGE_TOO_BIG,
                    "message larger than " + maxMessageSize + " bytes once decoded");
        }
    }

    /** Streaming mode: delivers what the extension decoded so far as one fragment. */
    private void flushDecoded(boolean last) throws WebSocketException {
        ByteBuffer part = decodedPart == null ? EMPTY : decodedPart.flip();
        decodedSize += part.remaining();
        checkDecodedSize(decodedSize);
        if (messageOpcode == Opcode.TEXT && !utf8.validate(part)) {
            throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA, "text is not valid UTF-8");
        }
        deliverFragment(part, last);
        if (decodedPart != null) {
            decodedPart.clear();
        }
    }

    private void endMessage() {
        if (assembly != null) {
            if (pooled) {
                buffers.release(assembly);
                assembly = null;
                pooled = false;
            } else if (assembly.capacity() > RETAINED_BUFFER_BYTES) {
                assembly = null;
            } else {
                assembly.clear();
            }
        }
    }

    private void deliverControl(ByteBuffer payload) throws WebSocketException {
        switch (frameOpcode) {
            case Opcode.PING -> sink.onPing(payload);
            case Opcode.PONG -> sink.onPong(payload);
            default -> sink.onClose(ClosePayload.parse(payload));
        }
    }

    private void deliverMessage(ByteBuffer data) throws WebSocketException {
        if (messageOpcode == Opcode.TEXT) {
            sink.onText(decode(data, data.remaining()));
            return;
        }
        if (!pooled || data != assembly) {
            sink.onBinary(data);
            return;
        }
        // Borrowed from the provider and ours: the sender may take it for an echo (see BufferHandoff).
        handoff.offer(data);
        try {
            sink.onBinary(data);
        } finally {
            if (handoff.withdraw()) {
                assembly = null;
                pooled = false;
            }
        }
    }

    private void deliverFragment(ByteBuffer chunk, boolean last) throws WebSocketException {
        if (messageOpcode == Opcode.BINARY) {
            sink.onBinaryFragment(chunk, last);
            return;
        }
        if (last && !utf8.isComplete()) {
            throw new WebSocketException(CloseStatus.INVALID_PAYLOAD_DATA, "text ends inside a UTF-8 sequence");
        }
        // Cut the text before an unfinished code point so each fragment is whole; the cut bytes lead the next.
        int pending = last ? 0 : utf8.pendingBytes();
        int whole = chunk.remaining() - pending;
        String text;
        if (carryLength > 0) {
            int total = carryLength + chunk.remaining();
            byte[] joined = new byte[total];
            System.arraycopy(carry, 0, joined, 0, carryLength);
            chunk.get(joined, carryLength, chunk.remaining());
            text = new String(joined, 0, total - pending, StandardCharsets.UTF_8);
            carryLength = 0;
            keepCarry(joined, total - pending, pending);
        } else {
            text = decode(chunk, whole);
            if (pending > 0) {
                byte[] tail = new byte[pending];
                chunk.get(tail);
                keepCarry(tail, 0, pending);
            }
        }
        sink.onTextFragment(text, last);
    }

    private void keepCarry(byte[] src, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (carry == null) {
            carry = new byte[4];
        }
        System.arraycopy(src, offset, carry, 0, length);
        carryLength = length;
    }

    /** Decodes {@code length} bytes at {@code data}'s position (already validated) and advances past them. */
    private static String decode(ByteBuffer data, int length) {
        String s;
        if (data.hasArray()) {
            s = new String(data.array(), data.arrayOffset() + data.position(), length, StandardCharsets.UTF_8);
            data.position(data.position() + length);
        } else {
            byte[] bytes = new byte[length];
            data.get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        return s;
    }

    /**
     * The assembly buffer, with room for the {@code chunkLength} bytes just received. It grows with the bytes
     * that arrived, never with what a header declares: a peer that announces a 16 MiB frame and sends 16
     * bytes costs a small buffer, not 16 MiB. Each step at least doubles the capacity (so a large message is
     * copied a bounded number of times, about twice its size in all), starts at {@link #RETAINED_BUFFER_BYTES},
     * and stops at the end of the current frame as declared, so a message whose length is known is not
     * over-allocated. A binary message that outgrows the retained heap size moves to a direct buffer from
     * the session's {@link io.duplex.core.BufferProvider} while it fits one.
     */
    private ByteBuffer ensureAssembly(int chunkLength) {
        if (assembly != null && assembly.remaining() >= chunkLength) {
            return assembly;
        }
        int used = assembly == null ? 0 : assembly.position();
        long needed = used + (long) chunkLength;
        long frameEnd = used + (frameLength - frameReceived) + chunkLength;
        long step = Math.max(RETAINED_BUFFER_BYTES, assembly == null ? 0 : 2L * assembly.capacity());
        // Doubling keeps the buffer within twice the bytes received, and the copies linear in the message's
        // size however small its fragments; only the final frame's declared end tells where the message stops.
        long size = Math.max(needed, Math.min(frameFin ? Math.min(step, frameEnd) : step, maxMessageSize));
        boolean direct = messageOpcode == Opcode.BINARY && size > RETAINED_BUFFER_BYTES
                && size <= BufferSizes.MAX_DIRECT;
        ByteBuffer grown = direct
                ? buffers.acquire((int) size, true)
                : ByteBuffer.allocate((int) size);
        if (assembly != null) {
            grown.put(assembly.flip());
            if (pooled) {
                buffers.release(assembly);
            }
        }
        assembly = grown;
        pooled = direct;
        return assembly;
    }

    /** The assembly buffer's capacity, 0 when none is held: how much memory the message in progress holds. */
    int assemblyCapacity() {
        return assembly == null ? 0 : assembly.capacity();
    }
}
