package io.duplex.core.engine;

import io.duplex.core.CloseStatus;
import io.duplex.core.Transport;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An {@link Transport} and {@link WebSocketHandler} that record everything a session does, for tests. */
final class RecordingPeer implements Transport, WebSocketHandler {

    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    final List<String> events = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();
    int closeTransportCalls;
    int closeStartedCalls;
    int closeReports;
    CloseStatus closeStatus;
    Boolean closeClean;
    WebSocketHandler delegate = new WebSocketHandler() { };

    @Override
    public void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
        copy(header);
        copy(payload);
        if (done != null) {
            done.complete(null);
        }
    }

    private void copy(ByteBuffer b) {
        while (b.hasRemaining()) {
            written.write(b.get());
        }
    }

    @Override
    public void closeTransport() {
        closeTransportCalls++;
        events.add("closeTransport");
    }

    @Override
    public void closeStarted() {
        closeStartedCalls++;
    }

    List<WireFrames.Frame> frames() {
        return WireFrames.parse(written.toByteArray());
    }

    /** Takes the frames written so far, leaving the record empty. */
    List<WireFrames.Frame> drain() {
        List<WireFrames.Frame> f = frames();
        written.reset();
        return f;
    }

    @Override
    public void onOpen(WebSocket socket) {
        events.add("open");
        delegate.onOpen(socket);
    }

    @Override
    public void onText(WebSocket socket, String text) {
        events.add("text:" + text);
        delegate.onText(socket, text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        byte[] a = new byte[data.remaining()];
        data.duplicate().get(a);
        events.add("binary:" + a.length + ":" + java.util.Arrays.hashCode(a));
        delegate.onBinary(socket, data);
    }

    @Override
    public void onTextFragment(WebSocket socket, String fragment, boolean last) {
        events.add("textFragment:" + fragment + ":" + last);
        delegate.onTextFragment(socket, fragment, last);
    }

    @Override
    public void onBinaryFragment(WebSocket socket, ByteBuffer fragment, boolean last) {
        events.add("binaryFragment:" + fragment.remaining() + ":" + last);
        delegate.onBinaryFragment(socket, fragment, last);
    }

    @Override
    public void onPing(WebSocket socket, ByteBuffer payload) {
        events.add("ping:" + StandardCharsets.UTF_8.decode(payload.duplicate()));
    }

    @Override
    public void onPong(WebSocket socket, ByteBuffer payload) {
        events.add("pong:" + StandardCharsets.UTF_8.decode(payload.duplicate()));
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        errors.add(error);
        events.add("error");
    }

    @Override
    public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
        closeReports++;
        closeStatus = status;
        closeClean = clean;
        events.add("close:" + status.code() + ":" + clean);
    }
}
