package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sends from many threads: each message arrives whole (§5.4: no interleaved fragments) and each thread's order holds. */
class ConcurrentSendTest extends LoopbackFixture {

    @Test
    void eightThreadsSendingToOneConnectionNeverInterleave() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        // ~24 MB offered at once: more than the default hard limit, which this test is not about.
        WebSocket client = client(b -> b.maxBufferedBytes(0)).connect(uri(server), new Recorder())
                .get(10, TimeUnit.SECONDS);
        int threads = 8;
        int perThread = 300;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        List<CompletableFuture<Void>> lastSends = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            CompletableFuture<Void> last = new CompletableFuture<>();
            lastSends.add(last);
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    CompletableFuture<Void> f = null;
                    for (int i = 0; i < perThread; i++) {
                        // Sizes from a few bytes to ~20 KB, so some frames are queued in pieces.
                        String body = message(id, i);
                        f = (i % 2 == 0) ? client.sendText(body)
                                : client.sendBinary(ByteBuffer.wrap(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    }
                    f.whenComplete((v, e) -> {
                        if (e != null) {
                            last.completeExceptionally(e);
                        } else {
                            last.complete(null);
                        }
                    });
                } catch (InterruptedException e) {
                    last.completeExceptionally(e);
                }
            });
            senders.add(th);
            th.start();
        }
        go.countDown();
        CompletableFuture.allOf(lastSends.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        int[] next = new int[threads];
        for (int n = 0; n < threads * perThread; n++) {
            Object m = serverSide.nextMessage();
            String s = m instanceof String ? (String) m
                    : new String((byte[]) m, java.nio.charset.StandardCharsets.UTF_8);
            String[] parts = s.split(":", 3);
            int id = Integer.parseInt(parts[0]);
            int seq = Integer.parseInt(parts[1]);
            assertEquals(next[id]++, seq, "thread " + id + " out of order");
            assertEquals(message(id, seq), s, "message content intact");
            assertEquals(seq % 2 == 0, m instanceof String, "message type kept");
        }
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, next[t]);
        }
        for (Thread th : senders) {
            th.join(5_000);
        }
        client.close();
        assertTrue(serverSide.awaitClose().clean());
    }

    private static String message(int thread, int seq) {
        int size = ((thread * 7919 + seq * 104729) % 20_000) + 1;
        StringBuilder sb = new StringBuilder(size + 16).append(thread).append(':').append(seq).append(':');
        for (int i = 0; i < size; i++) {
            sb.append((char) ('a' + (thread + seq + i) % 26));
        }
        return sb.toString();
    }
}
