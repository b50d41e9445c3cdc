package io.duplex.core.internal.session;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocketException;
import java.nio.ByteBuffer;

/**
 * What {@link MessageAssembler} delivers once frames have been put together and checked. Buffers are views
 * valid only during the call.
 */
public interface MessageSink {

    /** A whole text message. */
    void onText(String text) throws WebSocketException;

    /** A whole binary message. */
    void onBinary(ByteBuffer data) throws WebSocketException;

    /** A part of a text message (streaming mode); each part holds whole code points. */
    void onTextFragment(String fragment, boolean last) throws WebSocketException;

    /** A part of a binary message (streaming mode). */
    void onBinaryFragment(ByteBuffer fragment, boolean last) throws WebSocketException;

    /** A Ping frame's payload. */
    void onPing(ByteBuffer payload) throws WebSocketException;

    /** A Pong frame's payload. */
    void onPong(ByteBuffer payload) throws WebSocketException;

    /** A Close frame, already validated. */
    void onClose(CloseStatus status) throws WebSocketException;
}
