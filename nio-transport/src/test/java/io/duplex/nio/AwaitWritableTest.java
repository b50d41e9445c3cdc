package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WebSocket#awaitWritable}: a handler that may block streams messages to a slow peer, waiting between
 * sends, and its outbound buffer stays within the watermarks instead of reaching the hard limit.
 */
class AwaitWritableTest extends LoopbackFixture {

    private static final int MESSAGE = 64 << 10;
    private static final long HIGH = 512 << 10;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void aBlockingSenderWaitsForItsSlowPeerAndNeverOverflows() throws Exception {
        int count = 200; // 12.5 MiB, past the 2 MiB hard limit unless the sender waits
        AtomicLong maxBuffered = new AtomicLong();
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Boolean> allWritable = new CompletableFuture<>();
        WebSocketServer server = server(b -> b.handlerExecutor(pool).maxBufferedBytes(2 << 20)
                .writeBufferWatermarks(HIGH, 256 << 10).handler(new WebSocketHandler() {
                    @Override
                    public void onText(WebSocket socket, String text) {
                        boolean ok = true;
                        try {
                            for (int i = 0; i < count; i++) {
                                ByteBuffer m = ByteBuffer.allocate(MESSAGE);
                                m.putInt(0, i);
                                socket.sendBinary(m);
                                sent.incrementAndGet();
                                maxBuffered.accumulateAndGet(socket.bufferedAmount(), Math::max);
                                ok &= socket.awaitWritable(Duration.ofSeconds(30));
                            }
                        } catch (InterruptedException e) {
                            ok = false;
                        }
                        allWritable.complete(ok);
                    }
                }));
        Recorder peer = new Recorder();
        WebSocket ws = connect(server, peer);
        ws.pauseReading();
        ws.sendText("go");
        // The peer reads nothing: the sender fills the socket buffers, then its own up to the high watermark,
        // and waits there.
        eventually(() -> sent.get() > 0, "the sender to start");
        long stalledAt = -1;
        for (int i = 0; i < 50 && stalledAt != sent.get(); i++) {
            stalledAt = sent.get();
            Thread.sleep(100);
        }
        assertTrue(sent.get() < count, "the sender waits while its peer does not read");
        assertFalse(allWritable.isDone());
        ws.resumeReading();
        assertTrue(allWritable.get(30, TimeUnit.SECONDS), "every awaitWritable returned true");
        for (int i = 0; i < count; i++) {
            assertEquals(i, ByteBuffer.wrap((byte[]) peer.nextMessage()).getInt(0));
        }
        // Sends from another thread are counted while handed to the loop and then in its queue; the moment
        // between the two may let one more message through: the bound is the high watermark plus two messages,
        // far below the 2 MiB hard limit the sender would otherwise have hit.
        assertTrue(maxBuffered.get() <= HIGH + 2 * (MESSAGE + 14), "buffered " + maxBuffered.get() + " B after a send");
        assertFalse(peer.closed.isDone(), "the connection was not closed for overflow");
    }

    @Test
    void itReturnsFalseAfterTheTimeoutOrOnceClosedAndRefusesToBlockTheLoop() throws Exception {
        CompletableFuture<Boolean> timedOut = new CompletableFuture<>();
        CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
        CompletableFuture<WebSocket> serverSide = new CompletableFuture<>();
        WebSocketServer server = server(b -> b.writeBufferWatermarks(HIGH, 256 << 10).handler(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                try {
                    socket.awaitWritable(Duration.ofSeconds(1));
                    onLoop.complete(null);
                } catch (Throwable t) {
                    onLoop.complete(t);
                }
                serverSide.complete(socket);
            }
        }));
        try (RawClient peer = new RawClient(server.port(), 4096)) {
            peer.upgrade();
            assertTrue(onLoop.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
            WebSocket socket = serverSide.get(10, TimeUnit.SECONDS);
            pool.execute(() -> {
                try {
                    // Until the socket's buffers are full too and the excess stays with the connection.
                    do {
                        while (socket.bufferedAmount() <= HIGH) {
                            socket.sendBinary(ByteBuffer.allocate(MESSAGE));
                        }
                        Thread.sleep(50);
                    } while (socket.bufferedAmount() <= HIGH);
                    timedOut.complete(socket.awaitWritable(Duration.ofMillis(200)));
                } catch (Throwable t) {
                    timedOut.completeExceptionally(t);
                }
            });
            assertFalse(timedOut.get(10, TimeUnit.SECONDS), "the peer reads nothing: not writable in 200 ms");
            socket.abort();
            eventually(() -> !socket.isOpen(), "the connection to close");
            assertFalse(socket.awaitWritable(Duration.ofSeconds(5)), "a closed WebSocket is not writable");
        }
    }
}
