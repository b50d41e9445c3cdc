package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.nio.internal.loop.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write path on its own: an {@link OutboundBuffer} over a wire that takes only as many bytes as the test
 * allows ({@link ThrottledWire}), owned by a recorder of what it asks of its connection.
 */
class OutboundBufferTest {

    private final EventLoop loop = new EventLoop("outbound-buffer-test", 10, 1024, 256);
    private final ThrottledWire wire = new ThrottledWire();
    private final RecordingOwner owner = new RecordingOwner();

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.start();
        loop.shutdown();
        assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
    }

    private OutboundBuffer buffer(WebSocketServer.Builder options) {
        return new OutboundBuffer(owner, options.settings());
    }

    private static ByteBuffer bytes(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return ByteBuffer.wrap(b);
    }

    @Test
    void whatTheSocketTakesIsNotQueued() throws Exception {
        OutboundBuffer out = buffer(WebSocketServer.builder());
        wire.budget = 1000;
        CompletableFuture<Void> done = new CompletableFuture<>();
        out.send(bytes(2, 1), bytes(10, 2), done, null, false);
        assertEquals(12, wire.taken.size());
        assertEquals(0, out.bufferedAmount());
        assertTrue(done.isDone() && !done.isCompletedExceptionally());
        assertFalse(owner.writeInterest, "nothing waits for the socket");
    }

    @Test
    void whatTheSocketRefusesIsQueuedAndLeavesInOrderOnceItTakesMore() throws Exception {
        OutboundBuffer out = buffer(WebSocketServer.builder());
        wire.budget = 3;
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        out.send(bytes(2, 1), bytes(8, 2), first, null, false);
        out.send(bytes(2, 3), bytes(4, 4), second, null, false);
        assertEquals(3, wire.taken.size());
        assertEquals(13, out.bufferedAmount());
        assertTrue(owner.writeInterest, "OP_WRITE is asked for once bytes wait");
        assertFalse(first.isDone());

        wire.budget = 1000;
        out.flush();
        ByteBuffer expected = ByteBuffer.allocate(16)
                .put(bytes(2, 1)).put(bytes(8, 2)).put(bytes(2, 3)).put(bytes(4, 4));
        assertArrayEquals(expected.array(), wire.taken.toByteArray());
        assertEquals(0, out.bufferedAmount());
        assertTrue(first.isDone() && second.isDone() && !second.isCompletedExceptionally());
        assertFalse(owner.writeInterest);
        assertEquals(1, owner.drained);
    }

    @Test
    void theHandlerHearsOnlyOfNetWatermarkCrossings() {
        OutboundBuffer out = buffer(WebSocketServer.builder().writeBufferWatermarks(10, 4));
        wire.budget = 0;
        out.send(bytes(2, 0), bytes(10, 0), null, null, false);
        assertFalse(out.isWritable(), "12 bytes are above the high watermark of 10");
        assertTrue(out.takeWritabilityReport());
        assertFalse(out.takeWritabilityReport(), "one report per crossing");

        wire.budget = 6;
        out.flush();
        assertFalse(out.isWritable(), "6 bytes are still above the low watermark of 4");
        assertFalse(out.takeWritabilityReport());

        wire.budget = 6;
        out.flush();
        assertTrue(out.isWritable());
        assertEquals(1, owner.writableAgain);
        assertTrue(out.takeWritabilityReport());

        wire.budget = 0;
        out.send(bytes(2, 0), bytes(10, 0), null, null, false);
        wire.budget = 100;
        out.flush();
        assertFalse(out.takeWritabilityReport(), "down and up again before a report: nothing to tell");
    }

    @Test
    void smallFramesWrittenWhileCorkedLeaveTogetherWhenUncorked() {
        OutboundBuffer out = buffer(WebSocketServer.builder());
        wire.budget = 1000;
        out.cork();
        out.send(bytes(2, 1), bytes(5, 2), null, null, false);
        out.send(bytes(2, 3), bytes(5, 4), null, null, false);
        assertEquals(0, wire.taken.size(), "nothing leaves while corked");
        assertFalse(owner.writeInterest, "no OP_WRITE for a corked queue: uncorking writes it");
        out.uncork();
        assertEquals(14, wire.taken.size());
        assertEquals(0, out.bufferedAmount());
    }

    @Test
    void aPongWaitingForTheSocketIsReplacedByTheNextOne() {
        OutboundBuffer out = buffer(WebSocketServer.builder());
        wire.budget = 0;
        out.send(bytes(2, 9), bytes(3, 9), null, null, false);
        out.sendPong(pongHeader(2), bytes(2, 1));
        out.sendPong(pongHeader(2), bytes(2, 2));
        out.sendPong(pongHeader(2), bytes(2, 3));
        assertEquals(5 + 4, out.bufferedAmount(), "one Pong waits, however many Pings came");
        wire.budget = 100;
        out.flush();
        byte[] taken = wire.taken.toByteArray();
        assertEquals(9, taken.length);
        assertArrayEquals(new byte[] {3, 3}, java.util.Arrays.copyOfRange(taken, 7, 9), "the latest Pong's payload");
    }

    private static ByteBuffer pongHeader(int payloadLength) {
        return ByteBuffer.wrap(new byte[] {(byte) 0x8A, (byte) payloadLength});
    }

    @Test
    void overTheHardLimitASendIsRefusedAndAClosingPolicyFailsTheConnection() {
        OutboundBuffer failSend = buffer(WebSocketServer.builder().maxBufferedBytes(20)
                .overflowPolicy(OverflowPolicy.FAIL_SEND));
        wire.budget = 0;
        assertNull(failSend.admit(1000), "an empty buffer admits any message");
        failSend.send(bytes(2, 0), bytes(13, 0), null, null, false);
        assertNull(failSend.admit(5));
        CompletableFuture<Void> refused = failSend.admit(6);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, refused::get);
        assertInstanceOf(OutboundOverflowException.class, e.getCause());
        assertTrue(owner.overflows.isEmpty(), "FAIL_SEND fails the send only");

        OutboundBuffer closing = buffer(WebSocketServer.builder().maxBufferedBytes(20)
                .overflowPolicy(OverflowPolicy.CLOSE_TRY_AGAIN_LATER));
        closing.send(bytes(2, 0), bytes(13, 0), null, null, false);
        assertTrue(closing.admit(6).isCompletedExceptionally());
        assertEquals(1, owner.overflows.size(), "a closing policy fails the connection");
    }

    @Test
    void anOverflowCutDropsTheFramesNotYetBegun() {
        OutboundBuffer out = buffer(WebSocketServer.builder());
        wire.budget = 3;
        out.send(bytes(2, 1), bytes(8, 1), null, null, false);
        CompletableFuture<Void> unstarted = new CompletableFuture<>();
        out.send(bytes(2, 2), bytes(8, 2), unstarted, null, false);
        out.cutUnstarted(new OutboundOverflowException("test"));
        assertEquals(7, out.bufferedAmount(), "the rest of the frame already begun stays");
        assertTrue(unstarted.isCompletedExceptionally());
    }

    @Test
    void onceDiscardedEverySendFailsAndAGivenPayloadGoesBack() {
        OutboundBuffer out = buffer(WebSocketServer.builder());
        wire.budget = 0;
        CompletableFuture<Void> queued = new CompletableFuture<>();
        out.send(bytes(2, 0), bytes(4, 0), queued, null, false);
        IOException reason = new IOException("gone");
        out.discard(reason);
        assertEquals(0, out.bufferedAmount());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, queued::get);
        assertSame(reason, e.getCause());

        List<ByteBuffer> released = new ArrayList<>();
        ByteBuffer payload = bytes(4, 0);
        CompletableFuture<Void> late = new CompletableFuture<>();
        out.send(bytes(2, 0), payload, late, released::add, false);
        e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, late::get);
        assertInstanceOf(ClosedChannelException.class, e.getCause());
        assertEquals(List.of(payload), released);
    }

    /** What the buffer asks of its connection, recorded. */
    private final class RecordingOwner implements OutboundBuffer.Owner {
        boolean writeInterest;
        int drained;
        int writableAgain;
        final List<OutboundOverflowException> overflows = new ArrayList<>();

        @Override
        public EventLoop loop() {
            return loop;
        }

        @Override
        public Wire wire() {
            return wire;
        }

        @Override
        public SocketChannel channel() {
            return null;
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void writeInterest(boolean on) {
            writeInterest = on;
        }

        @Override
        public boolean writeInterest() {
            return writeInterest;
        }

        @Override
        public void bytesOut(long n) {
        }

        @Override
        public void wrote() {
        }

        @Override
        public void flushFailed(IOException e) {
            throw new AssertionError(e);
        }

        @Override
        public void broken(IOException e) {
            throw new AssertionError(e);
        }

        @Override
        public boolean drained() {
            drained++;
            return false;
        }

        @Override
        public void writableAgain() {
            writableAgain++;
        }

        @Override
        public void overflowed(OutboundOverflowException e) {
            overflows.add(e);
        }

        @Override
        public void heldWritten() {
        }
    }
}
