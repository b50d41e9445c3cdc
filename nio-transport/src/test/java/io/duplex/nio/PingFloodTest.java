package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.internal.tls.SelfSignedCertificates;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue #12 §2: control frames must not bypass the outbound limit. A peer that sends a million Pings and
 * never reads holds a bounded number of automatic Pongs in the server's queue, however many Pings it sends:
 * once the socket refuses bytes, a newer Ping's Pong replaces the one waiting (RFC 6455 §5.5.3: answer the
 * most recent Ping). Until then every Ping gets its Pong, as peers expect (Autobahn 2.10), so the queue may
 * hold the Pongs of the one read event in which the socket filled up. Pings the application sends count
 * against the hard limit like data.
 */
class PingFloodTest extends LoopbackFixture {

    private static final int PINGS = 1_000_000;
    private static final int PINGS_PER_WRITE = 10_000;
    /** A Ping's payload: its number, 8 bytes. */
    private static final int PAYLOAD = 8;
    /**
     * Queued bytes allowed on the server: the Pongs (2 + 8 bytes each) of one read event's Pings (6 + 8 bytes
     * each, at most 16 reads of 64 KiB), plus one Pong and the rest of one partly written.
     */
    private static final long QUEUE_BOUND = (16L * 65_536 / (6 + PAYLOAD) + 2) * (2 + PAYLOAD);
    /** Pooled 16 KiB chunks that queue can take, and one more for a chunk partly used. */
    private static final long CHUNK_BOUND = QUEUE_BOUND / 16_384 + 2;
    /**
     * Over TLS the buffered amount also counts what the wire sealed and the socket has not taken: the same Pongs
     * as ciphertext, each record adding its header and tag, and the rest of a record sealed before this read
     * event. One record's worth (16 KiB of plaintext plus at most 256 bytes of expansion, RFC 8446 §5.2) covers
     * both.
     */
    private static final long TLS_RECORD_BOUND = 16_384 + 256;

    @Test
    void aMillionPingsFromAPeerThatNeverReadsQueueABoundedNumberOfPongs() throws Exception {
        flood(PINGS, null);
    }

    /**
     * Over TLS the ciphertext the socket refuses must not grow either: while the wire still holds some, the
     * Pongs wait in the queue as plaintext, where they are replaced. Fewer Pings, as TLS costs more each.
     */
    @Test
    void overTlsTooTheQueueOfPongsStaysBounded() throws Exception {
        flood(200_000, SelfSignedCertificates.localhost());
    }

    private void flood(int pings, SelfSignedCertificates tls) throws Exception {
        AtomicReference<WebSocket> serverSide = new AtomicReference<>();
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                serverSide.set(socket);
            }
        };
        WebSocketServer server = server(b -> {
            b.handler(handler);
            if (tls != null) {
                b.tls(tls.serverContext());
            }
        });
        try (RawClient peer = tls == null ? new RawClient(server.port(), 4096)
                : RawClient.tls(server.port(), 4096, tls.clientContext())) {
            peer.upgrade();
            eventually(() -> serverSide.get() != null, "the server side to open");
            WebSocket ws = serverSide.get();
            long mostBuffered = 0;
            long mostChunks = 0;
            byte[] batch = new byte[PINGS_PER_WRITE * (6 + PAYLOAD)];
            for (int sent = 0; sent < pings; sent += PINGS_PER_WRITE) {
                ByteBuffer b = ByteBuffer.wrap(batch);
                for (int i = sent; i < sent + PINGS_PER_WRITE; i++) {
                    b.put(RawClient.frame(0x9, ByteBuffer.allocate(PAYLOAD).putLong(i).array()));
                }
                peer.send(batch);
                mostBuffered = Math.max(mostBuffered, ws.bufferedAmount());
                mostChunks = Math.max(mostChunks, group.outstandingBuffers());
            }
            long queueBound = QUEUE_BOUND + (tls == null ? 0 : TLS_RECORD_BOUND);
            assertTrue(mostBuffered <= queueBound, "the server buffered up to " + mostBuffered
                    + " bytes of Pongs for a peer that does not read " + pings + " Pings; at most " + queueBound);
            assertTrue(mostChunks <= CHUNK_BOUND, "the server's pool lent up to " + mostChunks + " chunks");
            assertTrue(ws.isOpen());

            // The peer reads at last: the answers arrive in order and end with the answer to the last Ping.
            long last = -1;
            while (last != pings - 1) {
                RawClient.Frame pong = peer.readFrame();
                assertEquals(0xA, pong.opcode());
                long n = ByteBuffer.wrap(pong.payload()).getLong();
                assertTrue(n > last, "Pong " + n + " after Pong " + last);
                last = n;
            }
        }
    }

    @Test
    void pingsTheApplicationSendsCountAgainstTheLimit() throws Exception {
        long limit = 64 * 1024;
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        AtomicReference<Long> bufferedAtRefusal = new AtomicReference<>();
        WebSocketServer server = server(b -> b.maxBufferedBytes(limit).overflowPolicy(OverflowPolicy.FAIL_SEND)
                .handler(new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocket socket) {
                        ByteBuffer payload = ByteBuffer.allocate(125);
                        // The peer never reads: the kernel's buffers fill, then the queue, then the limit.
                        for (int i = 0; i < 100_000 && !refused.isDone(); i++) {
                            CompletableFuture<Void> f = socket.sendPing(payload.clear());
                            if (f.isCompletedExceptionally()) {
                                bufferedAtRefusal.set(socket.bufferedAmount());
                                f.exceptionally(e -> {
                                    refused.complete(e);
                                    return null;
                                });
                            }
                        }
                    }
                }));
        try (RawClient peer = new RawClient(server.port(), 4096)) {
            peer.upgrade();
            Throwable e = refused.get(20, TimeUnit.SECONDS);
            assertInstanceOf(OutboundOverflowException.class, e instanceof ExecutionException ? e.getCause() : e);
            assertNotNull(bufferedAtRefusal.get());
            // A frame's header is not counted at admission: a few bytes over at most.
            assertTrue(bufferedAtRefusal.get() <= limit + 256, bufferedAtRefusal.get() + " bytes buffered");
        }
    }
}
