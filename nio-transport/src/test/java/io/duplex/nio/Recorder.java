package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A handler that records every event for a test to wait on. */
class Recorder implements WebSocketHandler {

    /** A recorded close. */
    record Closed(CloseStatus status, boolean clean) {
    }

    final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Object> fragments = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    final BlockingQueue<Boolean> writability = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final AtomicInteger closeCount = new AtomicInteger();
    final AtomicInteger callbacksAfterClose = new AtomicInteger();

    @Override
    public void onOpen(WebSocket socket) {
        opened.complete(socket);
    }

    @Override
    public void onText(WebSocket socket, String text) {
        afterCloseCheck();
        messages.add(text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        afterCloseCheck();
        messages.add(bytes(data));
    }

    @Override
    public void onTextFragment(WebSocket socket, String fragment, boolean last) {
        fragments.add(new Object[] {fragment, last});
    }

    @Override
    public void onBinaryFragment(WebSocket socket, ByteBuffer fragment, boolean last) {
        fragments.add(new Object[] {bytes(fragment), last});
    }

    @Override
    public void onPing(WebSocket socket, ByteBuffer payload) {
        pings.add(bytes(payload));
    }

    @Override
    public void onPong(WebSocket socket, ByteBuffer payload) {
        pongs.add(bytes(payload));
    }

    @Override
    public void onWritabilityChanged(WebSocket socket, boolean writable) {
        writability.add(writable);
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        errors.add(error);
    }

    @Override
    public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
        closeCount.incrementAndGet();
        closed.complete(new Closed(status, clean));
    }

    private void afterCloseCheck() {
        if (closed.isDone()) {
            callbacksAfterClose.incrementAndGet();
        }
    }

    Object nextMessage() throws InterruptedException {
        Object m = messages.poll(20, TimeUnit.SECONDS);
        assertNotNull(m, "no message within 20 s");
        return m;
    }

    Closed awaitClose() throws Exception {
        return closed.get(20, TimeUnit.SECONDS);
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
