package io.duplex.core.engine;

import static io.duplex.core.engine.WireFrames.client;
import static io.duplex.core.engine.WireFrames.frame;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.Extension;
import io.duplex.core.Transport;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.SessionExtensionTest.XorExtension;
import io.duplex.core.engine.WireFrames.Frame;
import io.duplex.testing.ThreadCounters;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link WebSocket#offerText} and {@link WebSocket#offerBinary} on the core {@link Session}: the same frames
 * as {@code sendText}/{@code sendBinary} (RFC 6455 §5.2 framing, §5.3 masking, §5.4 fragmentation, §5.6 text
 * as UTF-8, an extension's RSV bit and encoding per RFC 7692 §6), {@code false} with nothing written where a
 * send would fail its future at once (§7: nothing after our Close), and the buffer consumed.
 */
class OfferSendTest {

    private static final int TEXT = 1;
    private static final int BINARY = 2;

    private static Session open(boolean client, WebSocketConfig config, RecordingPeer peer, List<Extension> ext) {
        Session.Builder b = client ? Session.client() : Session.server();
        Session s = b.config(config).extensions(ext).handler(peer).outbound(peer).build();
        s.open();
        return s;
    }

    private static Session server(RecordingPeer peer) {
        return open(false, WebSocketConfig.defaults(), peer, List.of());
    }

    /** {@code data}'s bytes in a buffer of the given kind whose position (and array offset) are not zero. */
    private static ByteBuffer placed(byte[] data, boolean direct, int offset) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(offset + data.length + 3)
                : ByteBuffer.allocate(offset + data.length + 3);
        b.position(offset);
        b.put(data);
        b.flip().position(offset);
        if (!direct) {
            // A slice has a non-zero arrayOffset, as a view into a larger array would.
            b = b.slice();
        }
        return b;
    }

    /** The frames two fresh, identical sessions write for one message: by the offer and by the send. */
    private record Both(byte[] offered, byte[] sent, List<Frame> offeredFrames, List<Frame> sentFrames) {
    }

    private static Both both(boolean client, WebSocketConfig config, Function<Session, Object> offer,
            Function<Session, Object> send) {
        RecordingPeer a = new RecordingPeer();
        RecordingPeer b = new RecordingPeer();
        assertEquals(true, offer.apply(open(client, config, a, List.of())));
        send.apply(open(client, config, b, List.of()));
        assertEquals(List.of("open"), a.events, "no error, no close");
        return new Both(a.written.toByteArray(), b.written.toByteArray(), a.frames(), b.frames());
    }

    private static byte[] payloadOf(List<Frame> frames, int opcode) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            assertEquals(i == 0 ? opcode : 0, f.opcode(), "first frame has the type, the rest are continuations");
            assertEquals(i == frames.size() - 1, f.fin(), "FIN on the last frame only");
            assertEquals(0, f.rsv());
            all.write(f.payload(), 0, f.payload().length);
        }
        return all.toByteArray();
    }

    @Property(tries = 60)
    void offerBinaryWritesWhatSendBinaryWrites(@ForAll @IntRange(max = 70_000) int size,
            @ForAll boolean direct, @ForAll @IntRange(max = 9) int offset, @ForAll boolean client,
            @ForAll @IntRange(max = 3) int fragmenting) {
        byte[] data = WireFrames.bytes(size, size * 31 + offset);
        WebSocketConfig config = WebSocketConfig.builder()
                .outboundFragmentSize(fragmenting == 0 ? 0 : 1 + size / (fragmenting + 1)).build();
        ByteBuffer offered = placed(data, direct, offset);
        Both w = both(client, config, s -> s.offerBinary(offered),
                s -> s.sendBinary(placed(data, direct, offset)));
        assertFalse(offered.hasRemaining(), "the buffer is consumed");
        assertEquals(offset + size, direct ? offered.position() : offered.position() + offset);
        if (client) {
            // Each frame has a fresh random mask key, so compare what the frames say rather than their bytes.
            assertEquals(w.sentFrames().size(), w.offeredFrames().size());
            assertTrue(w.offeredFrames().stream().allMatch(Frame::masked), "a client masks every frame");
        } else {
            assertArrayEquals(w.sent(), w.offered(), "same bytes on the wire");
        }
        assertArrayEquals(data, payloadOf(w.offeredFrames(), BINARY));
        if (!client && fragmenting == 0) {
            assertArrayEquals(frame(true, 0, BINARY, data, false), w.offered(), "RFC 6455 §5.2 by hand");
        }
    }

    @Property(tries = 60)
    void offerTextWritesWhatSendTextWrites(@ForAll @IntRange(max = 30_000) int length, @ForAll long seed,
            @ForAll boolean client, @ForAll @IntRange(max = 3) int fragmenting) {
        String text = mixedText(length, seed);
        int utf8 = text.getBytes(UTF_8).length;
        WebSocketConfig config = WebSocketConfig.builder()
                .outboundFragmentSize(fragmenting == 0 ? 0 : 4 + utf8 / (fragmenting + 1)).build();
        Both w = both(client, config, s -> s.offerText(new StringBuilder(text)), s -> s.sendText(text));
        if (client) {
            assertEquals(w.sentFrames().size(), w.offeredFrames().size());
        } else {
            assertArrayEquals(w.sent(), w.offered(), "same bytes on the wire");
        }
        // The JDK's encoder is the oracle for the UTF-8 bytes.
        assertArrayEquals(text.getBytes(UTF_8), payloadOf(w.offeredFrames(), TEXT));
    }

    /** ASCII, 2- and 3-byte characters and surrogate pairs, never an unpaired surrogate. */
    private static String mixedText(int length, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(length + 1);
        while (sb.length() < length) {
            switch (r.nextInt(4)) {
                case 0 -> sb.append((char) r.nextInt(0x20, 0x7F));
                case 1 -> sb.append((char) r.nextInt(0x80, 0x800));
                case 2 -> sb.append((char) r.nextInt(0x800, 0xD800));
                default -> sb.appendCodePoint(r.nextInt(0x10000, 0x110000));
            }
        }
        return sb.toString();
    }

    @Test
    void offerRunsTheMessageThroughTheNegotiatedExtension() {
        RecordingPeer peer = new RecordingPeer();
        Session s = open(false, WebSocketConfig.defaults(), peer, List.of(new XorExtension(1, 0)));
        byte[] data = {1, 2, 3, 0x5A};
        assertTrue(s.offerBinary(ByteBuffer.wrap(data)));
        assertTrue(s.offerText("hi"));
        List<Frame> frames = peer.frames();
        assertEquals(2, frames.size());
        // RSV1 (the extension's bit) on each message, payload XOR 0x5A, computed here by hand.
        assertEquals(List.of(4, 4), List.of(frames.get(0).rsv(), frames.get(1).rsv()));
        assertArrayEquals(new byte[] {0x5B, 0x58, 0x59, 0x00}, frames.get(0).payload());
        assertArrayEquals(new byte[] {'h' ^ 0x5A, 'i' ^ 0x5A}, frames.get(1).payload());
        assertEquals(List.of(BINARY, TEXT), List.of(frames.get(0).opcode(), frames.get(1).opcode()));
    }

    @Test
    void refusedBeforeOpen() {
        RecordingPeer peer = new RecordingPeer();
        Session s = Session.server().handler(peer).outbound(peer).build();
        assertRefused(s, peer);
    }

    @Test
    void refusedAfterOurClose() {
        RecordingPeer peer = new RecordingPeer();
        Session s = server(peer);
        s.close(1000, "");
        peer.drain();
        assertRefused(s, peer);
    }

    @Test
    void refusedAfterThePeersClose() {
        RecordingPeer peer = new RecordingPeer();
        Session s = server(peer);
        s.receive(ByteBuffer.wrap(client(true, 8, WireFrames.close(1001, "bye"))));
        peer.drain();
        assertRefused(s, peer);
    }

    @Test
    void refusedAfterAbort() {
        RecordingPeer peer = new RecordingPeer();
        Session s = server(peer);
        s.abort();
        assertRefused(s, peer);
    }

    @Test
    void refusedWhileAMessageIsSentInParts() {
        for (int kind : new int[] {TEXT, BINARY}) {
            RecordingPeer peer = new RecordingPeer();
            Session s = server(peer);
            if (kind == TEXT) {
                s.sendText("par", false);
            } else {
                s.sendBinary(ByteBuffer.wrap(new byte[] {9}), false);
            }
            peer.drain();
            assertRefused(s, peer);
            // Once the message ends, offers are accepted again.
            if (kind == TEXT) {
                s.sendText("t", true);
            } else {
                s.sendBinary(ByteBuffer.allocate(0), true);
            }
            peer.drain();
            assertTrue(s.offerText("next"));
            assertEquals("next", peer.frames().get(0).text());
        }
    }

    /** Both offers answer false, write nothing, leave the buffer alone, and report nothing. */
    private static void assertRefused(Session s, RecordingPeer peer) {
        List<String> events = List.copyOf(peer.events);
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2, 3});
        assertFalse(s.offerBinary(data));
        assertFalse(s.offerText("x"));
        assertFalse(s.offerText("\uD800"), "the state is checked first, as sendText does");
        assertEquals(0, data.position(), "a refused buffer is not consumed");
        assertEquals(0, peer.written.size(), "nothing written");
        assertEquals(events, peer.events, "no event");
        // The future-returning send refuses in exactly these states.
        assertTrue(s.sendBinary(data).isCompletedExceptionally());
    }

    @Test
    void unpairedSurrogateThrowsLikeSendTextFailsAndNothingIsWritten() {
        RecordingPeer peer = new RecordingPeer();
        Session s = server(peer);
        for (String bad : new String[] {"a\uD800", "\uDC00b", "x".repeat(40_000) + "\uD83D"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.offerText(bad));
            java.util.concurrent.ExecutionException failed =
                    assertThrows(java.util.concurrent.ExecutionException.class, () -> s.sendText(bad).get());
            assertTrue(failed.getCause() instanceof IllegalArgumentException, e.getMessage());
        }
        assertEquals(0, peer.written.size());
        assertTrue(s.isOpen(), "the connection is unharmed");
        assertTrue(s.offerText("ok"));
        assertEquals("ok", peer.frames().get(0).text());
    }

    @Test
    void nullArgumentsThrow() {
        Session s = server(new RecordingPeer());
        assertThrows(NullPointerException.class, () -> s.offerText(null));
        assertThrows(NullPointerException.class, () -> s.offerBinary(null));
    }

    @Test
    void echoingTheReceivedMessageFromItsCallbackWritesIt() {
        // The session may send a message it assembled itself uncopied; an offer of it must still write it whole.
        for (int size : new int[] {0, 5, 300, 70_000}) {
            RecordingPeer peer = new RecordingPeer();
            Session s = server(peer);
            boolean[] accepted = new boolean[1];
            peer.delegate = new WebSocketHandler() {
                @Override
                public void onBinary(WebSocket socket, ByteBuffer data) {
                    accepted[0] = socket.offerBinary(data);
                    assertFalse(data.hasRemaining());
                }

                @Override
                public void onText(WebSocket socket, String text) {
                    accepted[0] = socket.offerText(text);
                }
            };
            byte[] data = WireFrames.bytes(size, size);
            s.receive(ByteBuffer.wrap(client(true, BINARY, data)));
            assertTrue(accepted[0]);
            assertArrayEquals(frame(true, 0, BINARY, data, false), peer.written.toByteArray(), "size " + size);
            peer.written.reset();
            accepted[0] = false;
            byte[] text = "é€😀".repeat(size / 9 + 1).getBytes(UTF_8);
            s.receive(ByteBuffer.wrap(client(true, TEXT, text)));
            assertTrue(accepted[0]);
            assertArrayEquals(frame(true, 0, TEXT, text, false), peer.written.toByteArray());
        }
    }

    @Test
    void anEchoByOfferAllocatesNothingInSteadyState() {
        long offered = echoAllocation(true);
        long sent = echoAllocation(false);
        // The meter works: the future a send returns is at least an object header.
        assertTrue(sent >= 16, "sendBinary echo allocates its future: " + sent + " B/op");
        assertEquals(0, offered, "offerBinary echo, B/op");
    }

    /** Bytes allocated per echoed 64-byte binary message, the least over a few rounds after warm-up. */
    private static long echoAllocation(boolean offer) {
        Session s = Session.server().handler(new WebSocketHandler() {
            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                if (offer) {
                    socket.offerBinary(data);
                } else {
                    socket.sendBinary(data);
                }
            }
        }).outbound(new Transport() {
            @Override
            public void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
                header.position(header.limit());
                payload.position(payload.limit());
                if (done != null) {
                    done.complete(null);
                }
            }

            @Override
            public void closeTransport() {
                throw new AssertionError("closed");
            }
        }).build();
        s.open();
        ByteBuffer wire = ByteBuffer.wrap(client(true, BINARY, WireFrames.bytes(64, 7)));
        int rounds = 20_000;
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 8; round++) {
            long before = ThreadCounters.allocatedBytes();
            for (int i = 0; i < rounds; i++) {
                // Unmasking changes the bytes in place; the frame stays a valid binary frame of 64 bytes.
                wire.clear();
                s.receive(wire);
            }
            least = Math.min(least, ThreadCounters.allocatedBytes() - before);
        }
        assertTrue(s.isOpen());
        return least / rounds;
    }
}
