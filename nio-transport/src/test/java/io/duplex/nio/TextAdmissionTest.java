package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The outbound hard limit and bufferedAmount count text in UTF-8 bytes, not chars. */
class TextAdmissionTest extends LoopbackFixture {

    private static final int LIMIT = 1 << 20;
    private static final String EURO = "\u20ac"; // 3 bytes of UTF-8, 1 char
    private static final String CLEF = "\ud834\udd1e"; // U+1D11E: 4 bytes of UTF-8, 2 chars

    @Property(tries = 300)
    void utf8SizeMatchesTheJdkEncoder(@ForAll String text) {
        boolean wellFormed = StandardCharsets.UTF_8.newEncoder().canEncode(text);
        if (wellFormed) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, NioWebSocket.utf8Size(text));
        }
    }

    @Test
    void aPairSplitAcrossPartsCountsItsFourBytes() {
        assertEquals(4, NioWebSocket.utf8Size(CLEF.substring(0, 1)) + NioWebSocket.utf8Size(CLEF.substring(1)));
    }

    private io.duplex.nio.internal.loop.EventLoop currentLoop() {
        for (int i = 0; i < 2; i++) {
            if (group.loop(i).inEventLoop()) {
                return group.loop(i);
            }
        }
        throw new IllegalStateException("not on a loop thread");
    }

    @Test
    void threeByteTextNearTheLimitIsAdmittedByItsUtf8Size() throws Exception {
        textNearTheLimitIsAdmittedByItsUtf8Size(EURO);
    }

    @Test
    void fourByteTextNearTheLimitIsAdmittedByItsUtf8Size() throws Exception {
        textNearTheLimitIsAdmittedByItsUtf8Size(CLEF);
    }

    /**
     * On the loop thread, with a peer that does not read, the queue does not drain between two calls, so the
     * room left under the limit is exact. Text whose chars fit that room but whose UTF-8 does not is refused;
     * text whose UTF-8 fits is taken, and bufferedAmount grows by its UTF-8 bytes plus the frame header.
     */
    private void textNearTheLimitIsAdmittedByItsUtf8Size(String unit) throws Exception {
        List<Object> results = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Recorder serverSide = new Recorder() {
            @Override
            public void onOpen(WebSocket socket) {
                super.onOpen(socket);
                // Not from onOpen itself: during a read small writes are corked and a large one flushes them,
                // so the socket could take more between two calls. In a task of its own nothing drains.
                currentLoop().execute(() -> fill(socket));
            }

            private void fill(WebSocket socket) {
                try {
                    for (int i = 0; i < 10_000 && socket.bufferedAmount() == 0; i++) {
                        socket.sendBinary(ByteBuffer.allocate(64 << 10));
                    }
                    int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
                    long room = LIMIT - socket.bufferedAmount();
                    String over = unit.repeat((int) (room / unitBytes) + 1);
                    results.add(over.length() <= room); // the old char count would have admitted it
                    results.add(socket.sendText(over));
                    String fits = unit.repeat((int) (room / unitBytes));
                    long before = socket.bufferedAmount();
                    results.add(socket.sendText(fits));
                    long payload = (long) fits.getBytes(StandardCharsets.UTF_8).length;
                    long header = payload < 126 ? 2 : payload < 65536 ? 4 : 10;
                    results.add(new long[] {payload + header, socket.bufferedAmount() - before});
                } catch (Throwable t) {
                    results.add(t);
                } finally {
                    done.countDown();
                }
            }
        };
        WebSocketServer server = server(b -> b.handler(serverSide).maxBufferedBytes(LIMIT)
                .overflowPolicy(OverflowPolicy.FAIL_SEND));
        try (RawClient raw = new RawClient(server.port(), 4096)) {
            raw.upgrade();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(4, results.size(), "results: " + results);
            assertEquals(Boolean.TRUE, results.get(0), "the test is near the limit in chars");
            CompletableFuture<?> refused = (CompletableFuture<?>) results.get(1);
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    refused::join);
            assertInstanceOf(OutboundOverflowException.class, e.getCause());
            CompletableFuture<?> taken = (CompletableFuture<?>) results.get(2);
            assertFalse(taken.isCompletedExceptionally(), "text that fits in UTF-8 is taken");
            long[] grew = (long[]) results.get(3);
            assertEquals(grew[0], grew[1], "bufferedAmount counts UTF-8 bytes and the header");
            assertNull(serverSide.errors.poll(), "no error under FAIL_SEND");
            assertTrue(serverSide.opened.get(5, TimeUnit.SECONDS).isOpen());
        }
        serverSide.awaitClose();
    }
}
