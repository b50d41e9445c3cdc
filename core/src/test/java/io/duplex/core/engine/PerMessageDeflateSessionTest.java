package io.duplex.core.engine;

import static io.duplex.core.engine.WireFrames.concat;
import static io.duplex.core.engine.WireFrames.frame;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.Extension;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.HandshakeException;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketException;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.core.internal.extension.deflate.CodecPool;
import io.duplex.core.internal.extension.deflate.PerMessageDeflateExtension;
import io.duplex.core.internal.extension.deflate.ZlibPools;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * permessage-deflate inside sessions (RFC 7692 §6, §7.2): the stripped {@code 00 00 FF FF} tail (§7.2.1),
 * RSV1 on the first frame only (§6.1), empty messages (§7.2.3.6), fragmented messages (§7.2.3.5 / §6.1),
 * invalid data (1007), decompression bombs bounded while inflating (1009), context takeover (§7.2.3.2) and
 * the release of zlib objects.
 */
class PerMessageDeflateSessionTest {

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private static PerMessageDeflate.Builder noThreshold() {
        return PerMessageDeflate.builder().threshold(0);
    }

    private static DeflatePair pair(PerMessageDeflate both) throws HandshakeException {
        return new DeflatePair(both, both, WebSocketConfig.defaults());
    }

    private static byte[] jsonish(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < n; i++) {
            sb.append("{\"id\":").append(i).append(",\"name\":\"item").append(i % 7).append("\"},");
        }
        return sb.substring(0, n).getBytes(UTF_8);
    }

    /** The JDK's raw inflater, as an independent receiver: payload + 00 00 FF FF must give the message. */
    private static byte[] jdkInflate(Inflater inflater, byte[] payload) throws DataFormatException {
        inflater.setInput(concat(payload, TAIL));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] room = new byte[4096];
        int n;
        while ((n = inflater.inflate(room)) > 0 || !inflater.needsInput()) {
            out.write(room, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void theSyncFlushTailIsStrippedFromWhatZlibProduces() throws Exception {
        byte[] message = jsonish(5000);
        DeflatePair p = pair(noThreshold().build());
        p.server.sendBinary(ByteBuffer.wrap(message));
        WireFrames.Frame f = p.serverPeer.frames().get(0);

        Deflater reference = new Deflater(6, true);
        reference.setInput(message);
        byte[] flushed = new byte[8192];
        int n = reference.deflate(flushed, 0, flushed.length, Deflater.SYNC_FLUSH);
        reference.end();
        assertArrayEquals(TAIL, Arrays.copyOfRange(flushed, n - 4, n), "zlib's sync flush ends in the tail");
        assertArrayEquals(Arrays.copyOf(flushed, n - 4), f.payload(), "the frame carries zlib's output minus the tail");
        assertArrayEquals(message, jdkInflate(new Inflater(true), f.payload()));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 12, 15})
    void rsv1IsOnTheFirstFrameOnly(int bits) throws Exception {
        PerMessageDeflate deflate = noThreshold().serverMaxWindowBits(bits).build();
        DeflatePair p = new DeflatePair(deflate, deflate, WebSocketConfig.builder().outboundFragmentSize(100).build());
        byte[] message = WireFrames.bytes(3000, 7);
        p.server.sendBinary(ByteBuffer.wrap(message));
        List<WireFrames.Frame> frames = p.serverToClient(1000);
        assertTrue(frames.size() > 2);
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(i == 0 ? 4 : 0, frames.get(i).rsv());
            assertEquals(i == frames.size() - 1, frames.get(i).fin());
        }
        assertArrayEquals(message, p.clientReceived.get(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 15})
    void emptyMessagesAreOneZeroByteAndRoundTrip(int bits) throws Exception {
        DeflatePair p = pair(noThreshold().serverMaxWindowBits(bits).clientMaxWindowBits(bits).build());
        // first an ordinary message, so the empty one follows a flush (where zlib would write nothing)
        p.client.sendText("hello hello hello");
        p.client.sendText("");
        p.client.sendBinary(ByteBuffer.allocate(0));
        List<WireFrames.Frame> frames = p.clientToServer(1);
        for (WireFrames.Frame f : frames.subList(1, 3)) {
            assertEquals(4, f.rsv());
            assertArrayEquals(new byte[] {0}, f.payload(), "RFC 7692 §7.2.3.6: a single 0x00");
        }
        assertEquals(List.of("hello hello hello", "", ""),
                p.serverReceived.stream().map(b -> new String(b, UTF_8)).toList());
    }

    @Test
    void messagesBelowTheThresholdGoOutPlain() throws Exception {
        DeflatePair p = pair(PerMessageDeflate.builder().threshold(10).build());
        p.server.sendText("short");
        p.server.sendText("long enough to compress");
        List<WireFrames.Frame> frames = p.serverToClient(7);
        assertEquals(0, frames.get(0).rsv());
        assertEquals("short", frames.get(0).text());
        assertEquals(4, frames.get(1).rsv());
        assertEquals(2, p.clientReceived.size());
    }

    @Test
    void aMessageSentInPartsIsCompressedAcrossItsFrames() throws Exception {
        for (int bits : new int[] {10, 15}) {
            DeflatePair p = pair(PerMessageDeflate.builder().threshold(1 << 20).clientMaxWindowBits(bits).build());
            byte[] a = jsonish(3000);
            byte[] b = WireFrames.bytes(500, 3);
            p.client.sendBinary(ByteBuffer.wrap(a), false);
            p.client.sendBinary(ByteBuffer.wrap(b), false);
            p.client.sendBinary(ByteBuffer.allocate(0), true);
            List<WireFrames.Frame> frames = p.clientToServer(333);
            assertEquals(List.of(4, 0, 0), frames.stream().map(WireFrames.Frame::rsv).toList(),
                    "unknown length: compressed even though the threshold is 1 MiB");
            assertEquals(List.of(2, 0, 0), frames.stream().map(WireFrames.Frame::opcode).toList());
            assertArrayEquals(concat(a, b), p.serverReceived.get(0));
            p.client.sendText("next");
            p.clientToServer(5);
            assertEquals("next", new String(p.serverReceived.get(1), UTF_8), "the context survived the parts");
        }
    }

    @Test
    void aCompressedMessageReceivedInSeveralFramesIsInflatedWhole() throws Exception {
        byte[] message = jsonish(4000);
        Deflater d = new Deflater(9, true);
        d.setInput(message);
        byte[] out = new byte[8192];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH) - 4;
        d.end();
        byte[] payload = Arrays.copyOf(out, n);
        RecordingPeer peer = new RecordingPeer();
        byte[][] got = new byte[1][];
        peer.delegate = binaryInto(got);
        Session s = serverSession(PerMessageDeflate.defaults(), peer, WebSocketConfig.defaults());
        int third = n / 3;
        s.receive(ByteBuffer.wrap(concat(frame(false, 4, 2, Arrays.copyOf(payload, third), true),
                frame(false, 0, 0, Arrays.copyOfRange(payload, third, 2 * third), true),
                frame(true, 0, 0, Arrays.copyOfRange(payload, 2 * third, n), true))));
        assertNull(peer.closeStatus);
        assertArrayEquals(message, got[0]);
    }

    /**
     * The limit is on the inflated message: random bytes of exactly the limit deflate to a little more than the
     * limit, and must still be accepted, while one byte more than the limit fails with 1009 once inflated.
     */
    @Test
    void theMessageLimitCountsInflatedBytesNotTheLargerWireBytesOfIncompressibleData() throws Exception {
        int limit = 100_000;
        WebSocketConfig config = WebSocketConfig.builder().maxMessageSize(limit).maxFrameSize(limit * 2L).build();
        for (int size : new int[] {limit, limit + 1}) {
            byte[] message = new byte[size];
            new java.util.Random(size).nextBytes(message);
            Deflater d = new Deflater(Deflater.NO_COMPRESSION, true);
            d.setInput(message);
            byte[] out = new byte[size + 1024];
            int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH) - 4;
            d.end();
            assertTrue(n > size, "stored blocks make the wire bytes larger than the message: " + n);
            RecordingPeer peer = new RecordingPeer();
            byte[][] got = new byte[1][];
            peer.delegate = binaryInto(got);
            Session s = serverSession(PerMessageDeflate.defaults(), peer, config);
            s.receive(ByteBuffer.wrap(frame(true, 4, 2, Arrays.copyOf(out, n), true)));
            if (size == limit) {
                assertNull(peer.closeStatus);
                assertArrayEquals(message, got[0]);
            } else {
                assertNull(got[0]);
                assertEquals(CloseStatus.MESSAGE_TOO_BIG, peer.closeStatus.code());
            }
        }
    }

    /** A handler that copies the binary message it receives into {@code got[0]}. */
    private static WebSocketHandler binaryInto(byte[][] got) {
        return new WebSocketHandler() {
            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                got[0] = new byte[data.remaining()];
                data.get(got[0]);
            }
        };
    }

    private static Session serverSession(PerMessageDeflate deflate, RecordingPeer peer, WebSocketConfig config) {
        Extension e = deflate.accept(PerMessageDeflate.defaults().offers());
        Session s = Session.server().config(config).extensions(List.of(e)).handler(peer).outbound(peer).build();
        s.open();
        return s;
    }

    @Test
    void invalidDeflateDataClosesWith1007AndEndsTheInflater() throws Exception {
        DeflatePair p = pair(PerMessageDeflate.defaults());
        // 0x06: BFINAL 0, BTYPE 11, a reserved block type (RFC 1951 §3.2.3)
        p.server.receive(ByteBuffer.wrap(frame(true, 4, 2, new byte[] {0x06, 0x00}, true)));
        assertEquals(1007, p.serverPeer.closeStatus.code());
        assertEquals(1007, p.serverPeer.frames().get(0).closeCode());
        assertFalse(p.serverExtension.holdsReceiveCodec());
        CodecPool<?> inflaters = p.serverExtension.pools().inflaters();
        assertEquals(1, inflaters.created());
        assertEquals(1, inflaters.ended(), "an Inflater cut off mid-message is ended, not pooled");
        assertEquals(0, inflaters.idle());
    }

    @Test
    void theHandBuiltBombReallyInflatesAtOver1000To1() throws DataFormatException {
        byte[] head = DeflateBomb.header();
        Inflater inflater = new Inflater(true);
        inflater.setInput(concat(head, new byte[1000]));
        byte[] room = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = inflater.inflate(room)) > 0) {
            for (int i = 0; i < n; i++) {
                assertEquals(0, room[i]);
            }
            total += n;
        }
        inflater.end();
        assertTrue(total > 1000L * 4 * 258 - 1000, "inflated " + total);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBombClosesWith1009WhileInflatingWithBoundedBuffers(boolean streaming) throws Exception {
        int limit = 1 << 20;
        WebSocketConfig config = WebSocketConfig.builder().maxMessageSize(limit).streaming(streaming).build();
        RecordingPeer peer = new RecordingPeer();
        long[] delivered = {0};
        peer.delegate = new WebSocketHandler() {
            @Override
            public void onBinaryFragment(WebSocket ws, ByteBuffer fragment, boolean last) {
                delivered[0] += fragment.remaining();
            }
        };
        int[] largest = {0};
        PerMessageDeflateExtension real = (PerMessageDeflateExtension) PerMessageDeflate.defaults()
                .accept(PerMessageDeflate.defaults().offers());
        Extension watched = new Extension() {
            @Override
            public ExtensionOffer negotiated() {
                return real.negotiated();
            }

            @Override
            public int rsvBits() {
                return real.rsvBits();
            }

            @Override
            public boolean decodes(int rsv) {
                return real.decodes(rsv);
            }

            @Override
            public void decode(ByteBuffer in, boolean end, ExtensionOutput out) throws WebSocketException {
                real.decode(in, end, wanted -> {
                    ByteBuffer room = out.buffer(wanted);
                    largest[0] = Math.max(largest[0], room.capacity());
                    return room;
                });
            }

            @Override
            public void release() {
                real.release();
            }
        };
        Session s = Session.server().config(config).extensions(List.of(watched)).handler(peer).outbound(peer).build();
        s.open();

        // A 1,040,000-byte payload: the header, then zeros, 1032 inflated bytes each: about 1.07 GB in all.
        int payloadLength = 1_040_000;
        byte[] head = DeflateBomb.header();
        ByteBuffer header = ByteBuffer.allocate(14).put((byte) 0xC2).put((byte) (0x80 | 127))
                .putLong(payloadLength).putInt(0); // mask key 0: the masked payload is the plain payload
        s.receive(header.flip());
        s.receive(ByteBuffer.wrap(head));
        long fed = head.length;
        byte[] zeros = new byte[1024];
        while (peer.closeStatus == null && fed < payloadLength) {
            int n = (int) Math.min(zeros.length, payloadLength - fed);
            s.receive(ByteBuffer.wrap(zeros, 0, n));
            fed += n;
        }
        assertEquals(1009, peer.closeStatus.code());
        assertTrue(fed < 4096, "stopped after " + fed + " compressed bytes");
        assertTrue(largest[0] <= limit + 1, "a decode buffer reached " + largest[0]);
        assertTrue(delivered[0] <= limit, "delivered " + delivered[0]);
        assertFalse(real.holdsReceiveCodec());
        assertEquals(1, real.pools().inflaters().created());
        assertEquals(1, real.pools().inflaters().ended());
    }

    @Test
    void contextTakeoverShrinksRepeatsAndNoContextTakeoverDoesNot() throws Exception {
        byte[] message = WireFrames.bytes(2000, 1);
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) (message[i] * 37 + i * i); // little internal repetition
        }
        int[] sizes = new int[4];
        int k = 0;
        for (boolean noContext : new boolean[] {false, true}) {
            DeflatePair p = pair(noThreshold().serverNoContextTakeover(noContext).build());
            p.server.sendBinary(ByteBuffer.wrap(message));
            p.server.sendBinary(ByteBuffer.wrap(message));
            List<WireFrames.Frame> frames = p.serverToClient(64);
            sizes[k++] = frames.get(0).payload().length;
            sizes[k++] = frames.get(1).payload().length;
            assertArrayEquals(message, p.clientReceived.get(1));
            assertEquals(noContext, p.clientExtension.receiveNoContextTakeover());
        }
        assertTrue(sizes[1] < sizes[0] / 10, "with takeover the repeat refers back: " + Arrays.toString(sizes));
        assertEquals(sizes[2], sizes[3], "without takeover each message stands alone");
    }

    @Test
    void codecsAreTakenOnFirstUseAndPooledOnClose() throws Exception {
        DeflatePair p = pair(noThreshold().build());
        ZlibPools pools = p.serverExtension.pools();
        assertFalse(p.serverExtension.holdsSendCodec() || p.serverExtension.holdsReceiveCodec());
        p.server.sendText("from the server");
        assertTrue(p.serverExtension.holdsSendCodec(), "context takeover: the Deflater stays");
        assertFalse(p.serverExtension.holdsReceiveCodec(), "no Inflater before a compressed message arrives");
        p.serverToClient(100);
        assertTrue(p.clientExtension.holdsReceiveCodec());
        assertFalse(p.clientExtension.holdsSendCodec());
        p.client.sendText("from the client");
        p.clientToServer(100);
        assertEquals(2, pools.deflaters().created());
        assertEquals(2, pools.inflaters().created());
        p.client.close(1000, "bye");
        p.clientToServer(100);
        p.serverToClient(100);
        p.client.transportClosed(null);
        for (PerMessageDeflateExtension e : List.of(p.serverExtension, p.clientExtension)) {
            assertFalse(e.holdsSendCodec() || e.holdsReceiveCodec());
        }
        assertEquals(2, pools.deflaters().idle(), "given back for the next connection");
        assertEquals(2, pools.inflaters().idle());
        assertEquals(0, pools.deflaters().ended());

        DeflatePair next =
                new DeflatePair(p.clientExtensionFactory, p.serverExtensionFactory, WebSocketConfig.defaults());
        next.server.sendText("again");
        next.serverToClient(100);
        assertEquals(2, pools.deflaters().created(), "a new connection reuses a pooled Deflater");
        assertEquals(2, pools.inflaters().created());
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 15})
    void withoutContextTakeoverIdleConnectionsHoldNoCodec(int bits) throws Exception {
        PerMessageDeflate deflate = noThreshold().serverNoContextTakeover(true).clientNoContextTakeover(true)
                .serverMaxWindowBits(bits).clientMaxWindowBits(bits).build();
        List<DeflatePair> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            DeflatePair p = pair(deflate);
            for (int m = 0; m < 3; m++) {
                p.server.sendText("message " + m);
                p.client.sendText("reply " + m);
                p.serverToClient(10);
                p.clientToServer(10);
            }
            assertEquals(List.of("message 0", "message 1", "message 2"),
                    p.clientReceived.stream().map(b -> new String(b, UTF_8)).toList());
            assertFalse(p.serverExtension.holdsSendCodec() || p.serverExtension.holdsReceiveCodec());
            assertFalse(p.clientExtension.holdsSendCodec() || p.clientExtension.holdsReceiveCodec());
            assertEquals(0, p.serverExtension.heapBytesHeld());
            pairs.add(p);
        }
        ZlibPools pools = pairs.get(0).serverExtension.pools();
        assertEquals(1, pools.inflaters().created(), "one Inflater served 30 messages on 5 connections");
        assertEquals(bits == 15 ? 1 : 0, pools.deflaters().created());
    }

    @Test
    void poolSizeZeroEndsEveryCodecAfterUse() throws Exception {
        PerMessageDeflate deflate = noThreshold().poolSize(0).build();
        DeflatePair p = pair(deflate);
        p.server.sendText("x");
        p.serverToClient(10);
        p.server.transportClosed(null);
        p.client.transportClosed(null);
        ZlibPools pools = p.serverExtension.pools();
        assertEquals(1, pools.deflaters().created());
        assertEquals(1, pools.deflaters().ended());
        assertEquals(1, pools.inflaters().created());
        assertEquals(1, pools.inflaters().ended());
    }
}
