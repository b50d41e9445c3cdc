package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.duplex.core.WebSocket;
import io.duplex.core.deflate.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * permessage-deflate with context takeover over real loopback sockets, with a short
 * {@link PerMessageDeflate.Builder#idleRelease}: once the connection has been quiet that long, each loop's
 * sweep gives both endpoints' codecs back to the pool (counted by {@link TransportMetrics#idleReleases()}),
 * with no idle timeout or keepalive configured to make the sweep run otherwise; the messages after each
 * release, both ways, still arrive byte for byte, including repeats that only the kept history compresses.
 */
class DeflateIdleReleaseLoopbackTest extends LoopbackFixture {

    /** Only bounds a hang: the release itself is due after 100 ms of quiet plus a sweep period. */
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static byte[] json(int size, long seed) {
        String[] words = {"{\"id\":", "\"user-", "\"text\":\"", "hello ", "world ", "\"},", "42,", "true,"};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < size) {
            sb.append(words[r.nextInt(words.length)]);
        }
        return sb.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "window bits {0}")
    @ValueSource(ints = {10, 15})
    void codecsGoBackWhileIdleAndTheStreamsContinue(int bits) throws Exception {
        PerMessageDeflate deflate = PerMessageDeflate.builder().threshold(0).idleRelease(Duration.ofMillis(100))
                .serverMaxWindowBits(bits).clientMaxWindowBits(bits).build();
        WebSocketServer server = server(b -> b.handler(RoundTripTest.ECHO).extensions(List.of(deflate))
                .pingInterval(Duration.ZERO));
        WebSocketClient clientEndpoint = client(b -> b.extensions(List.of(deflate)));
        Recorder received = new Recorder();
        WebSocket client = clientEndpoint.connect(uri(server), received).get(10, TimeUnit.SECONDS);
        assertTrue(client.extensions().startsWith("permessage-deflate"), client.extensions());
        assertFalse(client.extensions().contains("no_context_takeover"), client.extensions());

        long seed = 0;
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < 4; i++) {
                byte[] m = json(200 + 700 * i, seed++);
                client.sendBinary(ByteBuffer.wrap(m)).get(10, TimeUnit.SECONDS);
                assertArrayEquals(m, (byte[]) received.messages.poll(30, TimeUnit.SECONDS), "round " + round);
                String t = new String(json(300, 1000), StandardCharsets.UTF_8); // the same text every round
                client.sendText(t).get(10, TimeUnit.SECONDS);
                assertEquals(t, received.messages.poll(30, TimeUnit.SECONDS), "round " + round);
            }
            int releases = round;
            awaitAtLeast(releases, () -> server.metrics().idleReleases(), "the server's release " + round);
            awaitAtLeast(releases, () -> clientEndpoint.metrics().idleReleases(), "the client's release " + round);
        }
        client.close().get(10, TimeUnit.SECONDS);
        assertTrue(received.awaitClose().clean());
        assertEquals(0, received.errors.size(), () -> "errors: " + received.errors);
    }

    private static void awaitAtLeast(long n, LongSupplier count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (count.getAsLong() < n) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + " (" + count.getAsLong() + " so far)");
            }
            Thread.sleep(10);
        }
    }
}
