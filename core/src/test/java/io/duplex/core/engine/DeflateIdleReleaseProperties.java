package io.duplex.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.core.internal.extension.deflate.PerMessageDeflateExtension;
import io.duplex.core.internal.extension.deflate.Sink;
import io.duplex.core.internal.extension.deflate.WindowedDeflater;
import io.duplex.core.internal.extension.deflate.ZlibPools;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link Session#releaseIdleMemory()} with permessage-deflate and context takeover both ways: a Duplex server
 * session talks to a peer built from the JDK's own zlib (one continuing raw {@link Deflater} and
 * {@link Inflater} for the connection's life, with RFC 7692's {@code 00 00 FF FF} tail stripped and appended;
 * for a client window below 15 bits the peer compresses with a {@link WindowedDeflater}, since the JDK's
 * cannot honour it). Releasing the server's codecs at random points between messages, and trying to in the
 * middle of them (between the parts of a message sent in parts, between the chunks of one received), delivers
 * every message byte for byte, as a run without any release does; a release gives back exactly the codecs
 * held, never one a message in progress uses; and every codec is pooled, in use, or ended.
 */
class DeflateIdleReleaseProperties {

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /**
     * One message: from the peer to the server ({@code toServer}) or back; {@code size} bytes, JSON-like or
     * random from {@code seed}; sent by the server in {@code parts}, received by the server in chunks of
     * {@code chunk} bytes; with a release before it ({@code releaseBefore}) and attempts in its middle
     * ({@code releaseInside}).
     */
    record Step(boolean toServer, int size, boolean compressible, long seed, int parts, int chunk,
            boolean releaseBefore, boolean releaseInside) {

        byte[] data() {
            Random r = new Random(seed);
            byte[] a = new byte[size];
            if (!compressible) {
                r.nextBytes(a);
                return a;
            }
            String[] words = {"\"id\":", "\"name\":", "\"price\":", "\"tags\":[", "],", "{", "}", ",", "true",
                "\"user-", "\"ok\"", "null", "12.50", "\"room\":", " "};
            StringBuilder sb = new StringBuilder(size + 16);
            while (sb.length() < size) {
                sb.append(words[r.nextInt(words.length)]);
                if (r.nextInt(8) == 0) {
                    sb.append(r.nextInt(100000));
                }
            }
            byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(text, 0, a, 0, size);
            return a;
        }
    }

    @Property(tries = 60)
    void releasingBetweenMessagesChangesNoByteDelivered(
            @ForAll("windowBits") int clientBits, @ForAll("windowBits") int serverBits,
            @ForAll @IntRange(min = 1, max = 9) int level,
            @ForAll("steps") @Size(min = 1, max = 10) List<Step> steps) throws Exception {
        List<byte[]> expected = steps.stream().map(Step::data).toList();
        List<byte[]> withoutRelease = run(clientBits, serverBits, level, steps, false);
        List<byte[]> withRelease = run(clientBits, serverBits, level, steps, true);
        for (int i = 0; i < steps.size(); i++) {
            String what = (steps.get(i).toServer() ? "peer to server" : "server to peer") + " #" + i;
            assertArrayEquals(expected.get(i), withoutRelease.get(i), what + " without release");
            assertArrayEquals(expected.get(i), withRelease.get(i), what + " with releases");
        }
    }

    /** Runs the steps over a new connection; returns what each message's receiver got, in step order. */
    private static List<byte[]> run(int clientBits, int serverBits, int level, List<Step> steps, boolean release)
            throws Exception {
        PerMessageDeflate clientFactory = PerMessageDeflate.builder().clientMaxWindowBits(clientBits)
                .serverMaxWindowBits(serverBits).build();
        PerMessageDeflate serverFactory = PerMessageDeflate.builder().threshold(0).level(level).build();
        PerMessageDeflateExtension ext = (PerMessageDeflateExtension) serverFactory.accept(clientFactory.offers());
        assertEquals(serverBits, ext.sendWindowBits());
        assertFalse(ext.sendNoContextTakeover() || ext.receiveNoContextTakeover());
        Peer peer = new Peer(clientBits);
        List<byte[]> received = new ArrayList<>();
        RecordingPeer wire = new RecordingPeer();
        Session server = openServer(ext, wire, received);
        wire.drain();

        boolean sendHeld = false;
        boolean receiveHeld = false;
        for (Step step : steps) {
            if (release && step.releaseBefore()) {
                assertEquals(sendHeld || receiveHeld, server.releaseIdleMemory(),
                        "a release gives back exactly the codecs held");
                assertFalse(ext.holdsSendCodec() || ext.holdsReceiveCodec(), "nothing held after a release");
                sendHeld = receiveHeld = false;
            }
            byte[] data = step.data();
            if (step.toServer()) {
                byte[] wireBytes = WireFrames.frame(true, 4, 2, peer.compress(data), true);
                for (int i = 0; i < wireBytes.length; i += step.chunk()) {
                    if (release && step.releaseInside() && i > 0) {
                        // Whether the inflater survives shows in the bytes delivered: a lost window corrupts them.
                        server.releaseIdleMemory();
                        assertFalse(ext.holdsSendCodec(), "the idle direction gives its codec back");
                        sendHeld = false;
                    }
                    server.receive(ByteBuffer.wrap(wireBytes, i, Math.min(step.chunk(), wireBytes.length - i)));
                }
                receiveHeld = true;
            } else {
                int partSize = Math.max(1, (data.length + step.parts() - 1) / step.parts());
                int at = 0;
                do {
                    int end = Math.min(data.length, at + partSize);
                    boolean last = end == data.length;
                    server.sendBinary(ByteBuffer.wrap(data, at, end - at).slice(), last);
                    at = end;
                    if (release && step.releaseInside() && !last) {
                        server.releaseIdleMemory();
                        assertTrue(ext.holdsSendCodec(), "a message being sent keeps its codec");
                        receiveHeld = false;
                    }
                } while (at < data.length);
                received.add(peer.inflate(wire.drain()));
                sendHeld = true;
            }
            assertNull(wire.closeStatus, () -> "the server closed: " + wire.closeStatus);
        }

        ZlibPools pools = ext.pools();
        assertEquals(pools.deflaters().created(), pools.deflaters().ended() + pools.deflaters().idle()
                + (serverBits == 15 && ext.holdsSendCodec() ? 1 : 0), "each Deflater is ended, pooled or in use");
        assertEquals(pools.inflaters().created(), pools.inflaters().ended() + pools.inflaters().idle()
                + (ext.holdsReceiveCodec() ? 1 : 0), "each Inflater is ended, pooled or in use");
        server.transportClosed(null);
        assertFalse(server.releaseIdleMemory(), "nothing to release once closed");
        assertEquals(pools.deflaters().created(), pools.deflaters().ended() + pools.deflaters().idle());
        assertEquals(pools.inflaters().created(), pools.inflaters().ended() + pools.inflaters().idle());
        assertEquals(0, ext.heapBytesHeld(), "the histories are dropped with the connection");
        peer.end();
        return received;
    }

    /** An open server session with {@code ext} writing to {@code wire}, adding each binary message to {@code received}. */
    static Session openServer(PerMessageDeflateExtension ext, RecordingPeer wire, List<byte[]> received) {
        wire.delegate = new WebSocketHandler() {
            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                byte[] a = new byte[data.remaining()];
                data.get(a);
                received.add(a);
            }
        };
        Session server = Session.server().config(WebSocketConfig.defaults()).extensions(List.of(ext))
                .handler(wire).outbound(wire).build();
        server.open();
        return server;
    }

    /** The other endpoint: one continuing raw DEFLATE stream each way, from the JDK's zlib. */
    private static final class Peer {
        private final Deflater deflater;
        private final WindowedDeflater windowed;
        private final Inflater inflater = new Inflater(true);

        Peer(int windowBits) {
            deflater = windowBits == 15 ? new Deflater(6, true) : null;
            windowed = windowBits == 15 ? null : new WindowedDeflater(windowBits, 6);
        }

        /** A message's payload: the stream's next bytes up to a sync flush, without its 00 00 FF FF (§7.2.1). */
        byte[] compress(byte[] data) {
            byte[] out;
            if (deflater != null) {
                deflater.setInput(data);
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                byte[] room = new byte[8192];
                int n;
                do {
                    n = deflater.deflate(room, 0, room.length, Deflater.SYNC_FLUSH);
                    o.write(room, 0, n);
                } while (n == room.length || !deflater.needsInput());
                out = o.toByteArray();
            } else {
                Growing sink = new Growing();
                windowed.compress(ByteBuffer.wrap(data), sink);
                out = Arrays.copyOf(sink.buffer.array(), sink.buffer.position());
            }
            if (out.length == 0) {
                return new byte[] {0}; // a flush with no new input writes nothing: an empty stored block's start
            }
            assertArrayEquals(TAIL, Arrays.copyOfRange(out, out.length - 4, out.length));
            return Arrays.copyOf(out, out.length - 4);
        }

        /** Inflates one message from the frames the server wrote: RSV1 on the first, the tail appended (§7.2.2). */
        byte[] inflate(List<WireFrames.Frame> frames) throws DataFormatException {
            assertFalse(frames.isEmpty(), "the server sent the message");
            assertEquals(4, frames.get(0).rsv(), "the message is compressed");
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            for (WireFrames.Frame f : frames) {
                payload.writeBytes(f.payload());
            }
            assertTrue(frames.get(frames.size() - 1).fin());
            payload.writeBytes(TAIL);
            inflater.setInput(payload.toByteArray());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] room = new byte[8192];
            int n;
            while ((n = inflater.inflate(room)) > 0 || !inflater.needsInput()) {
                out.write(room, 0, n);
            }
            return out.toByteArray();
        }

        void end() {
            if (deflater != null) {
                deflater.end();
            }
            inflater.end();
        }
    }

    /** A sink that grows its heap buffer. */
    private static final class Growing implements Sink {
        ByteBuffer buffer = ByteBuffer.allocate(256);

        @Override
        public ByteBuffer ensure(int minRemaining) {
            if (buffer.remaining() < minRemaining) {
                ByteBuffer b = ByteBuffer.allocate(Math.max(2 * buffer.capacity(), buffer.position() + minRemaining));
                buffer.flip();
                b.put(buffer);
                buffer = b;
            }
            return buffer;
        }
    }

    @Provide
    Arbitrary<Integer> windowBits() {
        return Arbitraries.of(8, 9, 10, 12, 14, 15, 15);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> sizes = Arbitraries.oneOf(Arbitraries.integers().between(0, 2048),
                Arbitraries.integers().between(0, 100 << 10));
        Arbitrary<Integer> chunks = Arbitraries.of(1 << 20, 1 << 20, 7, 1000, 20000);
        return Combinators.combine(Arbitraries.of(true, false), sizes, Arbitraries.of(true, true, false),
                Arbitraries.longs(), Arbitraries.integers().between(1, 3), chunks, Arbitraries.of(true, false),
                Arbitraries.of(true, false))
                .as(Step::new).list();
    }
}
