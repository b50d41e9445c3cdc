package io.duplex.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.BufferProvider;
import io.duplex.core.Transport;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.internal.frame.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Large binary messages (RFC 6455 §5.2 framing, §5.3 masking, §5.4 fragmentation) assembled across reads
 * and echoed from {@code onBinary}: the bytes echoed equal the bytes sent however the input was cut, the
 * assembled buffer is given to the transport ({@link Transport#writeAndRelease}) only when the handler sends
 * that very buffer back unmasked, it is released exactly once, and the pool never hands out a buffer the
 * transport still holds.
 */
class LargeMessageEchoTest {

    /** Sizes around the heap/direct threshold (4 KiB), the pool's classes (64 KiB up) and its top (4 MiB). */
    private static final int[] SIZES = {126, 4095, 4096, 4097, 65535, 65536, 65537, 100_000, 1 << 20,
        (1 << 20) + 3, 4 << 20, (4 << 20) + 1};

    /** An outbound that records every byte, and holds given payloads until told to release them. */
    static final class HoldingOutbound implements Transport {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final List<ByteBuffer> held = new ArrayList<>();
        final List<Consumer<ByteBuffer>> releases = new ArrayList<>();
        int lent;
        int given;
        boolean holdGiven;

        @Override
        public void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
            lent++;
            copy(header);
            copy(payload);
            if (done != null) {
                done.complete(null);
            }
        }

        @Override
        public void writeAndRelease(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done,
                Consumer<ByteBuffer> release) {
            given++;
            copy(header);
            if (holdGiven) {
                // Like a socket that refused the payload: keep it by reference and write it later.
                held.add(payload);
                releases.add(release);
                return;
            }
            copy(payload);
            if (done != null) {
                done.complete(null);
            }
            release.accept(payload);
        }

        /** Writes the held payloads now and releases them. */
        void flushHeld() {
            for (int i = 0; i < held.size(); i++) {
                copy(held.get(i));
                releases.get(i).accept(held.get(i));
            }
            held.clear();
            releases.clear();
        }

        private void copy(ByteBuffer b) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            written.write(a, 0, a.length);
        }

        @Override
        public void closeTransport() {
        }
    }

    /** Echoes every binary message with the very buffer it was given, recording the buffers seen. */
    static final class Echo implements WebSocketHandler {
        final List<ByteBuffer> seen = new ArrayList<>();
        boolean echo = true;

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            seen.add(data);
            if (echo) {
                socket.sendBinary(data);
            }
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            throw new AssertionError(error);
        }
    }

    /** Random bytes: no period, so a chunk assembled at the wrong offset shows. */
    private static byte[] randomBytes(int n, long seed) {
        byte[] a = new byte[n];
        new Random(seed).nextBytes(a);
        return a;
    }

    /** The pool this test's servers share, as the sessions of one event loop do. */
    private final BufferProvider pool = BufferProvider.pooled();

    private Session server(Echo handler, Transport out) {
        WebSocketConfig config = WebSocketConfig.builder().maxMessageSize(8 << 20).maxFrameSize(8 << 20).build();
        Session s = Session.server().config(config).buffers(pool).handler(handler).outbound(out).build();
        s.open();
        return s;
    }

    /** Feeds {@code wire} in reads cut at {@code cuts} (sorted offsets), as heap or direct buffers. */
    private static void feed(Session s, byte[] wire, int[] cuts, boolean direct) {
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : wire.length;
            if (to <= from) {
                continue;
            }
            ByteBuffer in;
            if (direct) {
                in = ByteBuffer.allocateDirect(to - from + 7);
                in.position(7);
                in.put(wire, from, to - from).flip().position(7);
            } else {
                // A non-zero array offset and position, as a slice of a larger array gives.
                byte[] a = new byte[to - from + 11];
                System.arraycopy(wire, from, a, 5, to - from);
                in = ByteBuffer.wrap(a, 2, to - from + 3).slice().position(3);
            }
            s.receive(in);
            from = to;
        }
    }

    /** Masked client frames carrying {@code payload} in {@code frames} fragments (§5.4). */
    private static byte[] clientMessage(byte[] payload, int frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int per = Math.max(1, payload.length / frames);
        int from = 0;
        for (int i = 0; i < frames; i++) {
            int to = i == frames - 1 ? payload.length : Math.min(payload.length, from + per);
            byte[] part = java.util.Arrays.copyOfRange(payload, from, to);
            byte[] f = WireFrames.frame(i == frames - 1, 0, i == 0 ? Opcode.BINARY : Opcode.CONTINUATION, part, true);
            out.write(f, 0, f.length);
            from = to;
        }
        return out.toByteArray();
    }

    private static byte[] onlyBinaryPayload(byte[] written) {
        List<WireFrames.Frame> frames = WireFrames.parse(written);
        assertEquals(1, frames.size(), frames.toString());
        WireFrames.Frame f = frames.get(0);
        assertTrue(f.fin());
        assertEquals(Opcode.BINARY, f.opcode());
        assertTrue(!f.masked(), "a server's frames are not masked (§5.1)");
        return f.payload();
    }

    @Property(tries = 40)
    void echoedBytesEqualSentBytesHoweverTheInputIsCut(@ForAll @IntRange(min = 0, max = 11) int sizeIndex,
            @ForAll @IntRange(min = 1, max = 4) int frames, @ForAll @IntRange(min = 1, max = 9) int reads,
            @ForAll long seed, @ForAll boolean direct, @ForAll boolean hold) {
        int size = SIZES[sizeIndex];
        byte[] payload = randomBytes(size, seed);
        byte[] wire = clientMessage(payload, frames);
        Random r = new Random(seed);
        int[] cuts = new int[reads - 1];
        for (int i = 0; i < cuts.length; i++) {
            // Half the cuts land inside the first header, where a split is hardest.
            cuts[i] = r.nextBoolean() ? 1 + r.nextInt(14) : 1 + r.nextInt(wire.length - 1);
        }
        java.util.Arrays.sort(cuts);
        HoldingOutbound out = new HoldingOutbound();
        out.holdGiven = hold;
        Echo echo = new Echo();
        Session s = server(echo, out);
        feed(s, wire, cuts, direct);
        out.flushHeld();
        assertArrayEquals(payload, onlyBinaryPayload(out.written.toByteArray()));
        assertEquals(1, out.given + out.lent, "one echo frame");
    }

    @Test
    void everyTwoReadSplitOfAMessageLargerThanTheHeapThreshold() {
        byte[] payload = randomBytes(5000, 7);
        byte[] wire = clientMessage(payload, 1);
        Echo echo = new Echo();
        HoldingOutbound out = new HoldingOutbound();
        Session s = server(echo, out);
        for (int cut = 1; cut < wire.length; cut++) {
            out.written.reset();
            feed(s, wire, new int[] {cut}, cut % 2 == 0);
            assertArrayEquals(payload, onlyBinaryPayload(out.written.toByteArray()), "cut at " + cut);
        }
        // A cut inside the 8-byte header, or right after it, leaves the whole payload to one read: delivered
        // in place (a view of the input, which is only lent). Every later cut splits the payload: assembled,
        // and given away.
        assertEquals(8, out.lent);
        assertEquals(wire.length - 9, out.given);
    }

    @Test
    void aHeldBufferIsNeverReusedUntilReleasedAndAReleasedOneIs() {
        byte[] a = randomBytes(1 << 20, 1);
        byte[] b = randomBytes(1 << 20, 2);
        Echo echo = new Echo();
        HoldingOutbound out = new HoldingOutbound();
        out.holdGiven = true;
        Session s = server(echo, out);
        int half = (1 << 19);
        feed(s, clientMessage(a, 1), new int[] {half}, true);
        feed(s, clientMessage(b, 1), new int[] {half}, true);
        assertEquals(2, out.held.size());
        assertNotSame(echo.seen.get(0), echo.seen.get(1), "a held buffer was handed out again");
        out.flushHeld();
        // Headers were written first (held payloads follow), so compare payload bytes at the end of the stream.
        byte[] all = out.written.toByteArray();
        byte[] tail = java.util.Arrays.copyOfRange(all, all.length - 2 * (1 << 20), all.length);
        assertArrayEquals(a, java.util.Arrays.copyOfRange(tail, 0, 1 << 20));
        assertArrayEquals(b, java.util.Arrays.copyOfRange(tail, 1 << 20, 2 << 20));

        // Once released, the next message of that size is assembled in a buffer from the pool again.
        out.holdGiven = false;
        feed(s, clientMessage(a, 1), new int[] {half}, false);
        ByteBuffer third = echo.seen.get(2);
        assertTrue(third == echo.seen.get(0) || third == echo.seen.get(1), "a released buffer was not reused");
    }

    @Test
    void aMessageNotSentBackGoesBackToThePool() {
        Echo echo = new Echo();
        echo.echo = false;
        HoldingOutbound out = new HoldingOutbound();
        Session s = server(echo, out);
        for (int i = 0; i < 3; i++) {
            feed(s, clientMessage(randomBytes(200_000, i), 2), new int[] {1000}, true);
        }
        assertSame(echo.seen.get(0), echo.seen.get(1));
        assertSame(echo.seen.get(1), echo.seen.get(2));
        assertEquals(0, out.given + out.lent);
    }

    @Test
    void onlyTheDeliveredBufferItselfIsGivenAway() {
        byte[] payload = randomBytes(300_000, 3);
        HoldingOutbound out = new HoldingOutbound();
        WebSocketHandler sendsASlice = new WebSocketHandler() {
            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                socket.sendBinary(data.slice());
                // The handler may still read its buffer during the call: it must be unchanged.
                byte[] after = new byte[data.remaining()];
                data.duplicate().get(after);
                assertArrayEquals(payload, after);
            }
        };
        Session s = Session.server().config(WebSocketConfig.defaults()).handler(sendsASlice).outbound(out).build();
        s.open();
        feed(s, clientMessage(payload, 1), new int[] {100}, true);
        assertEquals(1, out.lent);
        assertEquals(0, out.given);
        assertArrayEquals(payload, onlyBinaryPayload(out.written.toByteArray()));
    }

    @Test
    void aClientMasksItsEchoIntoScratchAndLeavesTheReceivedBytesAlone() {
        byte[] payload = randomBytes(1 << 20, 4);
        HoldingOutbound out = new HoldingOutbound();
        byte[][] readAfterSend = new byte[1][];
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                ByteBuffer view = data.duplicate();
                socket.sendBinary(data);
                readAfterSend[0] = new byte[view.remaining()];
                view.get(readAfterSend[0]);
            }
        };
        Session s = Session.client().handler(echo).outbound(out).build();
        s.open();
        byte[] wire = WireFrames.frame(true, 0, Opcode.BINARY, payload, false);
        feed(s, wire, new int[] {3, 70_000}, true);
        assertArrayEquals(payload, readAfterSend[0]);
        assertEquals(0, out.given);
        List<WireFrames.Frame> frames = WireFrames.parse(out.written.toByteArray());
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        for (WireFrames.Frame f : frames) {
            assertTrue(f.masked(), "a client masks every frame (§5.3)");
            echoed.write(f.payload(), 0, f.payload().length);
        }
        assertArrayEquals(payload, echoed.toByteArray());
    }
}
