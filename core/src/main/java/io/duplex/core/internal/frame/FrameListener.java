package io.duplex.core.internal.frame;

import io.duplex.core.WebSocketException;
import java.nio.ByteBuffer;

/**
 * Receives the frames a {@link FrameDecoder} decodes. For each frame the decoder calls
 * {@link #onFrameHeader} once, {@link #onPayload} zero or more times, then {@link #onFrameEnd} once.
 * Payload arrives unmasked (or, through {@link #onMaskedPayload}, for the listener to unmask), possibly in
 * several chunks per frame. A listener may throw
 * {@link WebSocketException} to fail the connection; the decoder then stops for good.
 */
public interface FrameListener {

    /**
     * A frame header was read and validated.
     *
     * @param rsv the three RSV bits as {@code (b0 >> 4) & 7}, so RSV1 = 4, RSV2 = 2, RSV3 = 1
     * @param payloadLength the declared payload length, already checked against the decoder's maximum
     */
    void onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) throws WebSocketException;

    /**
     * A chunk of the current frame's payload, unmasked in place in the decoder's input buffer and passed as a
     * view ({@code position..limit}) that is valid only during this call. Not called for empty payloads.
     */
    void onPayload(ByteBuffer chunk) throws WebSocketException;

    /**
     * A chunk of a masked frame's payload, still masked: the listener unmasks it, in place or while copying
     * it elsewhere ({@link Masking#mask(ByteBuffer, ByteBuffer, int, long)}), so that a payload it stores
     * anyway is touched once instead of twice. Same view rules as {@link #onPayload}; the decoder calls one
     * of the two per chunk, this one exactly when the frame is masked.
     *
     * <p>The default unmasks in place and passes the chunk to {@link #onPayload}.
     *
     * @param maskingKey the frame's masking key, first wire byte most significant
     * @param payloadOffset the payload offset of the chunk's first byte, which selects the key byte it starts at
     */
    default void onMaskedPayload(ByteBuffer chunk, int maskingKey, long payloadOffset) throws WebSocketException {
        Masking.mask(chunk, maskingKey, payloadOffset);
        onPayload(chunk);
    }

    /** The current frame's payload is complete; called for every frame, also for empty payloads. */
    void onFrameEnd() throws WebSocketException;
}
