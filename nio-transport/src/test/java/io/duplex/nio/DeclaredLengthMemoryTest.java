package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocketConfig;
import io.duplex.core.deflate.PerMessageDeflate;
import java.io.ByteArrayOutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #12 §1: a peer that declares a maximum-size frame and sends 16 bytes must cost the server memory
 * for the bytes it sent, not for the length it declared. 100 such peers against an in-process server with
 * the default limits; the server's heap and direct memory, measured after garbage collection, must grow by
 * less than {@link #BOUND} in all, every peer must stay connected, and the server must go on serving.
 */
class DeclaredLengthMemoryTest extends LoopbackFixture {

    private static final int PEERS = 100;
    /** Growth allowed for all 100 peers together: far below one declared frame (16 MiB). */
    private static final long BOUND = 16L << 20;
    private static final long MAX_FRAME = WebSocketConfig.defaults().maxFrameSize();
    private static final long MAX_MESSAGE = WebSocketConfig.defaults().maxMessageSize();

    enum Attack {
        TEXT, BINARY, FRAGMENTED_TEXT, FRAGMENTED_BINARY, DEFLATE_TEXT, DEFLATE_BINARY;

        boolean deflate() {
            return name().startsWith("DEFLATE");
        }

        boolean fragmented() {
            return name().startsWith("FRAGMENTED");
        }

        int opcode() {
            return name().endsWith("TEXT") ? 1 : 2;
        }
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void aPeerDeclaringAMaximumFrameCostsWhatItSent(Attack attack) throws Exception {
        WebSocketServer server = server(b -> {
            b.handler(RoundTripTest.ECHO);
            if (attack.deflate()) {
                b.extensions(List.of(PerMessageDeflate.builder().build()));
            }
        });
        String upgrade = attack.deflate()
                ? RawClient.UPGRADE.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
                : RawClient.UPGRADE;
        byte[] attackBytes = attackBytes(attack);

        long before = settledMemory(server);
        List<RawClient> peers = new ArrayList<>();
        try {
            for (int i = 0; i < PEERS; i++) {
                RawClient peer = new RawClient(server.port());
                peers.add(peer);
                peer.send(upgrade);
                assertTrue(peer.readResponseHead().startsWith("HTTP/1.1 101"));
                peer.send(attackBytes);
                if ((i + 1) % 25 == 0) {
                    // Checked as it grows, so a server that follows the declared length fails here, early.
                    long grown = settledMemory(server) - before;
                    assertTrue(grown < BOUND, (i + 1) + " peers (" + attack + ") grew the server's heap and direct"
                            + " memory by " + grown + " bytes; the bound is " + BOUND);
                }
            }
            System.out.println(PEERS + " peers (" + attack + ") grew the server's heap and direct memory by "
                    + (settledMemory(server) - before) + " bytes");
            assertEquals(PEERS, server.connectionCount(), "every attacking peer is still connected");
            assertEquals(0, server.internalErrorCount());

            // Served: the first peer finishes its message and gets it echoed whole (a compressed one would need
            // the rest of its deflate stream, so those peers are left waiting); a new peer is served meanwhile.
            if (!attack.deflate()) {
                RawClient first = peers.get(0);
                byte[] rest = new byte[(int) (declaredLength(attack) - 16)];
                for (int i = 0; i < rest.length; i++) {
                    rest[i] = (byte) ('x' ^ ((16 + i) % 4 + 1));
                }
                first.send(rest);
                RawClient.Frame echo = first.readFrame();
                assertEquals(attack.opcode(), echo.opcode());
                assertEquals(declaredLength(attack) + (attack.fragmented() ? FIRST_FRAGMENT.length : 0),
                        echo.payload().length);
            }
            try (RawClient probe = new RawClient(server.port())) {
                probe.upgrade();
                probe.send(RawClient.frame(0x1, "still here".getBytes(StandardCharsets.UTF_8)));
                RawClient.Frame echo = probe.readFrame();
                assertEquals(0x1, echo.opcode());
                assertEquals("still here", new String(echo.payload(), StandardCharsets.UTF_8));
            }
        } finally {
            for (RawClient peer : peers) {
                peer.close();
            }
        }
    }

    private static final byte[] FIRST_FRAGMENT = "a first fragment".getBytes(StandardCharsets.US_ASCII);

    /** The length the attack's large frame declares: the largest the server accepts. */
    private static long declaredLength(Attack attack) {
        return attack.fragmented() ? Math.min(MAX_FRAME, MAX_MESSAGE - FIRST_FRAGMENT.length) : MAX_FRAME;
    }

    /** A frame header declaring the largest frame the server accepts, then 16 payload bytes. */
    private static byte[] attackBytes(Attack attack) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] payload = attack.deflate() ? deflatedStart() : "sixteen bytes...".getBytes(StandardCharsets.US_ASCII);
        int opcode = attack.opcode();
        if (attack.fragmented()) {
            byte[] whole = RawClient.frame(opcode, FIRST_FRAGMENT);
            whole[0] &= 0x7F; // not the last frame
            out.writeBytes(whole);
            opcode = 0; // continuation
        }
        byte[] header = RawClient.frameHeader(opcode, true, declaredLength(attack));
        if (attack.deflate()) {
            header[0] |= 0x40; // RSV1: a compressed message
        }
        out.writeBytes(header);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ (i % 4 + 1)); // RawClient's mask key, 01 02 03 04
        }
        return out.toByteArray();
    }

    /** The first 16 bytes of a raw deflate stream: valid so far, so the server waits for the rest. */
    private static byte[] deflatedStart() {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] text = new byte[4000];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + (i * 7919) % 26);
        }
        deflater.setInput(text);
        byte[] out = new byte[8192];
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        deflater.end();
        assertTrue(n > 16, "the deflate stream is longer than the 16 bytes sent");
        byte[] start = new byte[16];
        System.arraycopy(out, 0, start, 0, 16);
        return start;
    }

    /**
     * Heap in use plus direct buffers, after the server's loops have handled everything sent so far and a
     * few rounds of garbage collection; the least of the rounds, as a collection only ever frees.
     */
    private long settledMemory(WebSocketServer server) throws InterruptedException {
        // A task queued after bytes arrived runs after the loop has dispatched their readiness (see
        // EventLoop.iterate: select, then tasks), so two rounds of tasks see every byte sent before them.
        for (int round = 0; round < 2; round++) {
            CountDownLatch done = new CountDownLatch(group.size());
            for (int i = 0; i < group.size(); i++) {
                group.loop(i).execute(done::countDown);
            }
            assertTrue(done.await(20, TimeUnit.SECONDS), "the server's loops are stuck");
        }
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + direct.getMemoryUsed());
        }
        return least;
    }
}
