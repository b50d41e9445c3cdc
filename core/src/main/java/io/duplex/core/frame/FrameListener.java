package io.duplex.core.frame;

import io.duplex.core.WebSocketException;
import java.nio.ByteBuffer;

/**
 * Receives the frames a {@link FrameDecoder} decodes. For each frame the decoder calls
 * {@link #onFrameHeader} once, {@link #onPayload} zero or more times, then {@link #onFrameEnd} once.
 * Payload arrives already unmasked, possibly in several chunks per frame. A listener may throw
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

    /** The current frame's payload is complete; called for every frame, also for empty payloads. */
    void onFrameEnd() throws WebSocketException;
}
