package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.testing.ThreadCounters;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link WebSocket#offerText}/{@link WebSocket#offerBinary} over real loopback sockets: offers on the loop
 * thread and from other threads arrive whole and in order (RFC 6455 §5.4: a message's frames are not
 * interleaved with another's), a closed connection answers {@code false} (§7: no data after the closing
 * handshake), and the outbound limit refuses an offer by its {@link OverflowPolicy}.
 */
class OfferLoopbackTest extends LoopbackFixture {

    /** Echoes every data message by offering it back from the callback, on the loop, and records the answers. */
    static class OfferEcho extends Recorder {
        final BlockingQueue<Boolean> answers = new LinkedBlockingQueue<>();
        volatile boolean leftBytes;

        @Override
        public void onText(WebSocket socket, String text) {
            super.onText(socket, text);
            answers.add(socket.offerText(text));
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            super.onBinary(socket, data);
            answers.add(socket.offerBinary(data));
            leftBytes |= data.hasRemaining();
        }

        @Override
        public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
            answers.add(socket.offerText("late"));
            answers.add(socket.offerBinary(ByteBuffer.allocate(1)));
            super.onClose(socket, status, clean);
        }
    }

    private static boolean answer(OfferEcho e) throws InterruptedException {
        Boolean b = e.answers.poll(20, TimeUnit.SECONDS);
        assertTrue(b != null, "the handler answered");
        return b;
    }

    @Test
    void aServerOfferingOnItsLoopEchoesEveryMessage() throws Exception {
        OfferEcho serverSide = new OfferEcho();
        WebSocketServer server = server(serverSide);
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        String[] texts = {"", "héllo ☃ 😀", "x".repeat(70_000)};
        for (String t : texts) {
            client.sendText(t);
        }
        int[] sizes = {0, 1, 125, 126, 65_536, 200_000};
        for (int size : sizes) {
            client.sendBinary(ByteBuffer.wrap(pattern(size)));
        }
        for (String t : texts) {
            assertEquals(t, clientSide.nextMessage());
            assertTrue(answer(serverSide));
        }
        for (int size : sizes) {
            assertArrayEquals(pattern(size), (byte[]) clientSide.nextMessage(), "size " + size);
            assertTrue(answer(serverSide));
        }
        assertFalse(serverSide.leftBytes, "an offered buffer is consumed");
        client.close();
        serverSide.awaitClose();
        assertFalse(answer(serverSide), "offerText in onClose");
        assertFalse(answer(serverSide), "offerBinary in onClose");
        assertTrue(serverSide.errors.isEmpty(), "no error: " + serverSide.errors);
    }

    @Test
    void offersFromAnotherThreadArriveInOrderAndConsumeTheBuffer() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        WebSocket client = connect(server, new Recorder());
        for (int i = 0; i < 50; i++) {
            // Offers and sends from one thread keep their order.
            ByteBuffer direct = ByteBuffer.allocateDirect(i + 7);
            direct.position(3).put(pattern(i)).flip().position(3);
            assertTrue(client.offerBinary(direct));
            assertFalse(direct.hasRemaining(), "consumed");
            direct.clear(); // reusing the buffer at once must not change what was offered
            assertTrue(client.offerText(new StringBuilder("m").append(i)));
            client.sendText("s" + i);
        }
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(pattern(i), (byte[]) serverSide.nextMessage());
            assertEquals("m" + i, serverSide.nextMessage());
            assertEquals("s" + i, serverSide.nextMessage());
        }
        client.close();
        serverSide.awaitClose();
    }

    @Test
    void sendsFromAnotherThreadConsumeTheirBufferLikeOffers() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        WebSocket client = connect(server, new Recorder());
        ByteBuffer heap = ByteBuffer.wrap(pattern(40), 5, 30);
        ByteBuffer direct = ByteBuffer.allocateDirect(16).put(pattern(16)).flip();
        client.sendBinary(heap).get(20, TimeUnit.SECONDS);
        client.sendBinary(direct, true).get(20, TimeUnit.SECONDS);
        ByteBuffer ping = ByteBuffer.wrap(pattern(4));
        client.sendPing(ping).get(20, TimeUnit.SECONDS);
        assertFalse(heap.hasRemaining(), "sendBinary consumed its buffer");
        assertFalse(direct.hasRemaining(), "a last part consumed its buffer");
        assertFalse(ping.hasRemaining(), "sendPing consumed its buffer");
        assertArrayEquals(Arrays.copyOfRange(pattern(40), 5, 35), (byte[]) serverSide.nextMessage());
        assertArrayEquals(pattern(16), (byte[]) serverSide.nextMessage());
        client.close();
        serverSide.awaitClose();
    }

    @Test
    void aClosedSocketAnswersFalseAndKeepsTheBuffer() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        client.close().get(5, TimeUnit.SECONDS);
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2});
        assertFalse(client.offerText("after close"), "closing");
        assertFalse(client.offerBinary(data), "closing");
        clientSide.awaitClose();
        assertFalse(client.offerText("after close"), "closed");
        assertFalse(client.offerBinary(data), "closed");
        assertEquals(0, data.position());
        serverSide.awaitClose();
        assertTrue(serverSide.messages.isEmpty(), "nothing offered after the Close arrived: " + serverSide.messages);
    }

    @Test
    void anUnpairedSurrogateThrowsInTheCallersThreadAndSendsNothing() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        WebSocket client = connect(server, new Recorder());
        assertThrows(IllegalArgumentException.class, () -> client.offerText("a\uDC00"));
        assertTrue(client.offerText("after"));
        assertEquals("after", serverSide.nextMessage(), "the bad text was not sent");
        assertTrue(client.isOpen());
        client.close();
        serverSide.awaitClose();
    }

    @Test
    void failSendPolicyAnswersFalseAndKeepsTheConnection() throws Exception {
        Recorder serverSide = new Recorder();
        int limit = 1 << 20;
        WebSocketServer server = server(b -> b.handler(serverSide).maxBufferedBytes(limit)
                .overflowPolicy(OverflowPolicy.FAIL_SEND));
        try (RawClient raw = new RawClient(server.port(), 4096)) {
            raw.upgrade();
            WebSocket ws = serverSide.opened.get(5, TimeUnit.SECONDS);
            int offered = 0;
            ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
            while (offered < 10_000 && ws.offerBinary(chunk.clear())) {
                offered++;
            }
            assertTrue(offered < 10_000, "the limit refused an offer");
            assertEquals(chunk.capacity(), chunk.remaining(), "a refused buffer is not consumed");
            assertTrue(ws.bufferedAmount() <= limit + chunk.capacity());
            assertTrue(ws.isOpen(), "FAIL_SEND keeps the connection");
            assertTrue(serverSide.errors.isEmpty(), "a refusal is the answer, not an error");
        }
        serverSide.awaitClose(); // the raw peer went away
    }

    @Test
    void closingPolicyAnswersFalseAndTheHandlerHearsOfTheOverflow() throws Exception {
        OfferFlooder serverSide = new OfferFlooder();
        WebSocketServer server = server(b -> b.handler(serverSide).maxBufferedBytes(1 << 20)
                .overflowPolicy(OverflowPolicy.CLOSE_POLICY_VIOLATION));
        try (RawClient raw = new RawClient(server.port(), 4096)) {
            assertTrue(raw.upgrade().startsWith("HTTP/1.1 101"));
            Recorder.Closed closed = serverSide.awaitClose();
            int offered = serverSide.offered.get(5, TimeUnit.SECONDS);
            assertTrue(offered > 0 && offered < 10_000, "offers accepted before the refusal: " + offered);
            assertEquals(CloseStatus.POLICY_VIOLATION, closed.status().code());
            assertFalse(closed.clean());
            assertInstanceOf(OutboundOverflowException.class, serverSide.errors.poll(5, TimeUnit.SECONDS));
            assertEquals(1, serverSide.closeCount.get());
        }
    }

    /** Offers 64 KiB messages on the loop thread, to a peer that does not read, until one is refused. */
    static final class OfferFlooder extends Recorder {
        /** Completed after the flood; the overflow may report onClose while the flood is still in onOpen. */
        final CompletableFuture<Integer> offered = new CompletableFuture<>();

        @Override
        public void onOpen(WebSocket socket) {
            super.onOpen(socket);
            int n = 0;
            while (n < 10_000 && socket.offerBinary(ByteBuffer.allocate(64 << 10))) {
                n++;
            }
            offered.complete(n);
        }
    }

    /**
     * The least any round of echoes allocated on the loop thread, after a warm-up. A live loop may allocate now
     * and then for reasons of its own (a JIT deoptimisation, a selector's key set growing), so one round is
     * not proof; a round that allocated nothing is, as the echo path then holds no allocation at all.
     */
    @Test
    void anOfferEchoOnTheLoopAllocatesNothingInSteadyState() throws Exception {
        int warmUp = 2_000;
        int rounds = 10;
        int perRound = 200;
        int count = warmUp + rounds * perRound;
        Recorder serverSide = new Recorder() {
            int seen;
            long round;
            long least = Long.MAX_VALUE;

            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                long before = ThreadCounters.allocatedBytes();
                socket.offerBinary(data);
                long used = ThreadCounters.allocatedBytes() - before;
                if (++seen <= warmUp) {
                    return;
                }
                round += used;
                if ((seen - warmUp) % perRound == 0) {
                    least = Math.min(least, round);
                    round = 0;
                }
                if (seen == count) {
                    messages.add(least);
                }
            }
        };
        WebSocketServer server = server(serverSide);
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        byte[] payload = pattern(64);
        for (int i = 0; i < count; i++) {
            client.sendBinary(ByteBuffer.wrap(payload));
            clientSide.nextMessage(); // one at a time, so the socket always takes the echo at once
        }
        assertEquals(0L, serverSide.nextMessage(),
                "bytes allocated by the least of " + rounds + " rounds of " + perRound + " offerBinary echoes");
        client.close();
        serverSide.awaitClose();
    }

    @Test
    void aReconnectingSocketOffersToItsConnectionAndAnswersFalseWithoutOne() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        Recorder user = new Recorder();
        ReconnectingWebSocket ws = ReconnectingWebSocket.builder(client(), uri(server), user).connect();
        user.opened.get(10, TimeUnit.SECONDS);
        assertTrue(ws.offerText("via the current connection"));
        assertTrue(ws.offerBinary(ByteBuffer.wrap(new byte[] {5})));
        assertEquals("via the current connection", serverSide.nextMessage());
        assertArrayEquals(new byte[] {5}, (byte[]) serverSide.nextMessage());
        ws.close().get(10, TimeUnit.SECONDS);
        ByteBuffer data = ByteBuffer.wrap(new byte[] {6});
        assertFalse(ws.offerText("stopped"));
        assertFalse(ws.offerBinary(data));
        assertEquals(0, data.position());
        serverSide.awaitClose();
        assertTrue(serverSide.messages.isEmpty());
    }

    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 7 + size);
        }
        return b;
    }
}
