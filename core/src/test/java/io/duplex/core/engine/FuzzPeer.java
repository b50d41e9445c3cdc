package io.duplex.core.engine;

import io.duplex.core.CloseStatus;
import io.duplex.core.Transport;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link Transport} and {@link WebSocketHandler} of a fuzzed session: records what the invariants need
 * while allocating nothing per event, so what a fuzz target measures is the session's own memory. It keeps the
 * number of bytes written, the last frame written (a Close, when the connection failed), the errors and the
 * close reports, and fails the input if a message or a streamed message grows past the message limit.
 */
final class FuzzPeer implements Transport, WebSocketHandler {

    private final long maxMessageSize;
    private final byte[] lastFrame = new byte[256];
    private int lastFrameLength;
    private long streamed;
    long writtenBytes;
    int closeTransportCalls;
    int closeReports;
    CloseStatus closeStatus;
    final List<Throwable> errors = new ArrayList<>();

    FuzzPeer(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
        int h = header.remaining();
        int p = payload.remaining();
        writtenBytes += h + p;
        lastFrameLength = h + p <= lastFrame.length ? h + p : -1;
        if (lastFrameLength > 0) {
            header.get(lastFrame, 0, h);
            payload.get(lastFrame, h, p);
        } else {
            header.position(header.limit());
            payload.position(payload.limit());
        }
        if (done != null) {
            done.complete(null);
        }
    }

    @Override
    public void closeTransport() {
        closeTransportCalls++;
    }

    /** The opcode of the last frame written, -1 if none or it was too long to keep. */
    int lastOpcode() {
        return lastFrameLength < 2 ? -1 : lastFrame[0] & 0x0F;
    }

    /** The close code of the last frame written, when it was a Close with a code; else -1. */
    int lastCloseCode() {
        if (lastOpcode() != 8) {
            return -1;
        }
        boolean masked = (lastFrame[1] & 0x80) != 0;
        int length = lastFrame[1] & 0x7F;
        int at = masked ? 6 : 2;
        if (length < 2) {
            return -1;
        }
        int b0 = lastFrame[at] ^ (masked ? lastFrame[2] : 0);
        int b1 = lastFrame[at + 1] ^ (masked ? lastFrame[3] : 0);
        return (b0 & 0xFF) << 8 | (b1 & 0xFF);
    }

    private void check(long size) {
        if (size > maxMessageSize) {
            throw new AssertionError("handed out " + size + " bytes, over the message limit of " + maxMessageSize);
        }
    }

    @Override
    public void onText(WebSocket socket, String text) {
        check(text.length());
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        check(data.remaining());
    }

    @Override
    public void onTextFragment(WebSocket socket, String fragment, boolean last) {
        streamed += fragment.length();
        check(streamed);
        streamed = last ? 0 : streamed;
    }

    @Override
    public void onBinaryFragment(WebSocket socket, ByteBuffer fragment, boolean last) {
        streamed += fragment.remaining();
        check(streamed);
        streamed = last ? 0 : streamed;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        errors.add(error);
    }

    @Override
    public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
        closeReports++;
        closeStatus = status;
    }
}
