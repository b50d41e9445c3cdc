package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Backpressure both ways: pausing reads, the outbound hard limit with its policies, and the watermarks. */
class FlowControlTest extends LoopbackFixture {

    private static final int LIMIT = 1 << 20;
    private static final int CHUNK = 64 << 10;

    @Test
    void pausedReaderBacksUpThePeerThenResumesWithEverything() throws Exception {
        Recorder serverSide = new Recorder() {
            @Override
            public void onOpen(WebSocket socket) {
                socket.pauseReading(); // on the loop, before any data can arrive
                super.onOpen(socket);
            }
        };
        WebSocketServer server = server(serverSide);
        WebSocket client = connect(server, new Recorder());
        int messages = 200;
        CompletableFuture<Void> last = null;
        for (int i = 0; i < messages; i++) {
            ByteBuffer b = ByteBuffer.allocate(CHUNK);
            b.putInt(0, i);
            last = client.sendBinary(b);
        }
        // 12.5 MiB cannot fit in the loopback socket buffers: the client must be holding some of it.
        long[] seenBuffered = {0};
        eventually(() -> (seenBuffered[0] = client.bufferedAmount()) > 0, "client to buffer behind a paused reader");
        assertFalse(last.isDone(), "the last send cannot have reached the socket");
        assertEquals(0, serverSide.messages.size(), "a paused connection delivers nothing");

        serverSide.opened.get(5, TimeUnit.SECONDS).resumeReading();
        last.get(20, TimeUnit.SECONDS);
        for (int i = 0; i < messages; i++) {
            byte[] m = (byte[]) serverSide.nextMessage();
            assertEquals(i, ByteBuffer.wrap(m).getInt());
        }
        eventually(() -> client.bufferedAmount() == 0, "client buffer to drain");
        client.close();
        serverSide.awaitClose();
    }

    /** Sends 64 KiB messages on the loop thread until a send is refused; records the largest buffer seen. */
    static final class Flooder extends Recorder {
        volatile long maxBuffered;
        volatile CompletableFuture<Void> refused;
        volatile int sent;
        final java.util.concurrent.CountDownLatch flooded = new java.util.concurrent.CountDownLatch(1);
        /** Text frames, which the session writes in several pieces each, rather than binary ones. */
        boolean text;

        @Override
        public void onOpen(WebSocket socket) {
            super.onOpen(socket);
            CompletableFuture<Void> f;
            int n = 0;
            long max = 0;
            do {
                f = text ? socket.sendText("x".repeat(CHUNK)) : socket.sendBinary(ByteBuffer.allocate(CHUNK));
                max = Math.max(max, socket.bufferedAmount());
                n++;
            } while (!f.isCompletedExceptionally() && n < 10_000);
            maxBuffered = max;
            sent = n;
            refused = f;
            flooded.countDown();
        }
    }

    @Test
    void peerThatStopsReadingHitsTheLimitAndIsDropped() throws Exception {
        Flooder serverSide = new Flooder();
        WebSocketServer server = server(b -> b.handler(serverSide).maxBufferedBytes(LIMIT)
                .writeBufferWatermarks(LIMIT / 4, LIMIT / 8));
        try (RawClient raw = new RawClient(server.port(), 4096)) {
            assertTrue(raw.upgrade().startsWith("HTTP/1.1 101"));
            Recorder.Closed closed = serverSide.awaitClose();
            assertTrue(serverSide.flooded.await(10, TimeUnit.SECONDS));
            assertTrue(serverSide.sent < 10_000, "the limit never fired");
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    serverSide.refused::get);
            assertInstanceOf(OutboundOverflowException.class, e.getCause());
            assertTrue(serverSide.maxBuffered <= LIMIT, "buffer stayed bounded: " + serverSide.maxBuffered);
            assertTrue(serverSide.maxBuffered > LIMIT - CHUNK, "buffer filled up: " + serverSide.maxBuffered);
            assertFalse(closed.clean());
            assertEquals(io.duplex.core.CloseStatus.TRY_AGAIN_LATER, closed.status().code(), "the default policy");
            assertEquals(1, serverSide.closeCount.get());
            assertTrue(serverSide.errors.stream().anyMatch(OutboundOverflowException.class::isInstance),
                    "onError saw the overflow: " + serverSide.errors);
            assertEquals(Boolean.FALSE, serverSide.writability.poll(5, TimeUnit.SECONDS),
                    "not writable above the high watermark");
            raw.readToEnd(); // the server closed the connection
        }
    }

    @Test
    void peerThatStopsReadingThenReadsGetsWholeFramesThenTheCloseWithThePolicyCode() throws Exception {
        overflowEndsWithWholeFramesThenTheClose(false);
    }

    @Test
    void overflowNeverCutsATextFrameWrittenInPieces() throws Exception {
        overflowEndsWithWholeFramesThenTheClose(true);
    }

    private void overflowEndsWithWholeFramesThenTheClose(boolean text) throws Exception {
        Flooder serverSide = new Flooder();
        serverSide.text = text;
        WebSocketServer server = server(b -> b.handler(serverSide).maxBufferedBytes(LIMIT)
                .overflowPolicy(OverflowPolicy.CLOSE_POLICY_VIOLATION));
        try (RawClient raw = new RawClient(server.port(), 4096)) {
            assertTrue(raw.upgrade().startsWith("HTTP/1.1 101"));
            assertTrue(serverSide.flooded.await(10, TimeUnit.SECONDS));
            assertEquals(io.duplex.core.CloseStatus.POLICY_VIOLATION, serverSide.awaitClose().status().code());
            // Only now does the peer read: what was queued when the limit fired is gone, except the rest of a
            // frame already partly written, which a Close must not cut in two (RFC 6455 §5.2 framing).
            int binaryFrames = 0;
            RawClient.Frame f;
            while ((f = raw.readFrame()).opcode() == (text ? 0x1 : 0x2)) {
                assertEquals(CHUNK, f.payload().length, "frame " + binaryFrames + " arrived whole");
                binaryFrames++;
            }
            assertEquals(0x8, f.opcode(), "a Close frame follows the data (§5.5.1)");
            assertEquals(io.duplex.core.CloseStatus.POLICY_VIOLATION, f.closeCode());
            assertEquals(-1, raw.in.read(), "the server closes TCP after its Close (§7.1.1)");
            int refusedAndAccepted = serverSide.sent;
            assertTrue(binaryFrames < refusedAndAccepted - 1 - (LIMIT / CHUNK) / 2,
                    "the unsent frames were dropped, not delivered: " + binaryFrames + " of " + refusedAndAccepted);
        }
    }

    @Test
    void failSendPolicyRefusesTheSendAndKeepsTheConnection() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(b -> b.handler(serverSide).maxBufferedBytes(LIMIT)
                .overflowPolicy(OverflowPolicy.FAIL_SEND));
        try (RawClient raw = new RawClient(server.port(), 4096)) {
            raw.upgrade();
            WebSocket ws = serverSide.opened.get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> f;
            int sent = 0;
            do {
                f = ws.sendBinary(ByteBuffer.allocate(CHUNK));
                sent++;
            } while (!f.isCompletedExceptionally() && sent < 10_000);
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
            assertInstanceOf(OutboundOverflowException.class, e.getCause());
            assertTrue(ws.bufferedAmount() <= LIMIT + CHUNK);
            assertTrue(ws.isOpen(), "FAIL_SEND keeps the connection");
            assertFalse(serverSide.closed.isDone());
        }
        serverSide.awaitClose(); // the raw peer went away
    }

    @Test
    void writabilityTurnsFalseAboveHighAndTrueAtLow() throws Exception {
        Recorder serverSide = new Recorder() {
            @Override
            public void onOpen(WebSocket socket) {
                socket.pauseReading();
                super.onOpen(socket);
            }
        };
        WebSocketServer server = server(serverSide);
        long high = 256 << 10;
        Recorder clientSide = new Recorder() {
            @Override
            public void onOpen(WebSocket socket) {
                super.onOpen(socket);
                // On the loop thread, so every send reaches the socket or its queue before the next.
                for (int i = 0; i < 1024 && socket.bufferedAmount() <= high; i++) {
                    socket.sendBinary(ByteBuffer.allocate(CHUNK));
                }
            }
        };
        WebSocket client = client(b -> b.writeBufferWatermarks(high, 64 << 10).maxBufferedBytes(0))
                .connect(uri(server), clientSide).get(10, TimeUnit.SECONDS);
        assertEquals(Boolean.FALSE, clientSide.writability.poll(10, TimeUnit.SECONDS));
        assertTrue(client.bufferedAmount() > high);
        serverSide.opened.get(5, TimeUnit.SECONDS).resumeReading();
        assertEquals(Boolean.TRUE, clientSide.writability.poll(10, TimeUnit.SECONDS));
        assertTrue(client.bufferedAmount() <= (64 << 10));
        client.close();
        serverSide.awaitClose();
    }
    /** onWritabilityChanged follows the policy of every callback: a throw is reported, then 1011 closes. */
    @Test
    void aHandlerThatThrowsFromOnWritabilityChangedFailsTheConnectionWith1011() throws Exception {
        Recorder serverSide = new Recorder() {
            @Override
            public void onOpen(WebSocket socket) {
                socket.pauseReading();
                super.onOpen(socket);
            }
        };
        WebSocketServer server = server(serverSide);
        long high = 64 << 10;
        IllegalStateException thrown = new IllegalStateException("thrown by onWritabilityChanged");
        Recorder clientSide = new Recorder() {
            @Override
            public void onOpen(WebSocket socket) {
                super.onOpen(socket);
                for (int i = 0; i < 1024 && socket.bufferedAmount() <= high; i++) {
                    socket.sendBinary(ByteBuffer.allocate(CHUNK));
                }
            }

            @Override
            public void onWritabilityChanged(WebSocket socket, boolean writable) {
                super.onWritabilityChanged(socket, writable);
                throw thrown;
            }
        };
        client(b -> b.writeBufferWatermarks(high, 16 << 10).maxBufferedBytes(0))
                .connect(uri(server), clientSide).get(10, TimeUnit.SECONDS);
        assertEquals(Boolean.FALSE, clientSide.writability.poll(10, TimeUnit.SECONDS));
        assertEquals(thrown, clientSide.errors.poll(10, TimeUnit.SECONDS));
        Recorder.Closed closed = clientSide.closed.get(10, TimeUnit.SECONDS);
        assertEquals(CloseStatus.INTERNAL_ERROR, closed.status().code());
        assertEquals(1, clientSide.closeCount.get());
        serverSide.opened.get(5, TimeUnit.SECONDS).resumeReading();
        serverSide.awaitClose();
    }
}
