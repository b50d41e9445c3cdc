package io.duplex.core.engine;

import static io.duplex.core.engine.WireFrames.concat;
import static io.duplex.core.engine.WireFrames.frame;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketException;
import io.duplex.core.engine.WireFrames.Frame;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the session runs negotiated extensions: RSV ownership, decode limits, encode framing, release. */
class SessionExtensionTest {

    /**
     * A test extension on RSV1 that stores each byte XOR 0x5A, and with {@code expand} repeats each decoded
     * byte that many times: a stand-in for inflation, to check limits on decoded size.
     */
    static class XorExtension implements Extension {
        final int expand;
        final int threshold;
        int released;

        XorExtension(int expand, int threshold) {
            this.expand = expand;
            this.threshold = threshold;
        }

        @Override
        public ExtensionOffer negotiated() {
            return ExtensionOffer.of("x-xor", Map.of());
        }

        @Override
        public int rsvBits() {
            return 4;
        }

        @Override
        public boolean decodes(int rsv) {
            return rsv == 4;
        }

        @Override
        public void decode(ByteBuffer in, boolean endOfMessage, ExtensionOutput out) throws WebSocketException {
            while (in.hasRemaining()) {
                byte b = (byte) (in.get() ^ 0x5A);
                for (int i = 0; i < expand; i++) {
                    out.buffer(1).put(b);
                }
            }
        }

        @Override
        public int encodes(int opcode, long length) {
            return length >= 0 && length < threshold ? 0 : 4;
        }

        @Override
        public void encode(ByteBuffer in, boolean endOfMessage, ExtensionOutput out) {
            while (in.hasRemaining()) {
                try {
                    out.buffer(1).put((byte) (in.get() ^ 0x5A));
                } catch (WebSocketException e) {
                    throw new AssertionError(e);
                }
            }
        }

        @Override
        public void release() {
            released++;
        }
    }

    private final RecordingPeer peer = new RecordingPeer();

    private Session server(Extension ext, WebSocketConfig config) {
        Session s = Session.server().config(config).extensions(List.of(ext)).handler(peer).outbound(peer).build();
        s.open();
        return s;
    }

    private static byte[] xor(byte[] a) {
        byte[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] ^= 0x5A;
        }
        return b;
    }

    @Test
    void decodesAClaimedMessageSplitAcrossFrames() {
        Session s = server(new XorExtension(1, 0), WebSocketConfig.defaults());
        byte[] enc = xor("héllo".getBytes(UTF_8));
        byte[] wire = concat(frame(false, 4, 1, java.util.Arrays.copyOf(enc, 2), true),
                frame(true, 0, 0, java.util.Arrays.copyOfRange(enc, 2, enc.length), true));
        for (byte b : wire) {
            s.receive(ByteBuffer.wrap(new byte[] {b}));
        }
        assertEquals(List.of("open", "text:héllo"), peer.events);
    }

    @Test
    void decodedTextIsValidatedAsUtf8() {
        Session s = server(new XorExtension(1, 0), WebSocketConfig.defaults());
        s.receive(ByteBuffer.wrap(frame(true, 4, 1, xor(new byte[] {'a', (byte) 0xFF}), true)));
        assertEquals(1007, peer.closeStatus.code());
    }

    @Test
    void rsvOnAContinuationOrControlFrameIsAProtocolError() {
        Session s = server(new XorExtension(1, 0), WebSocketConfig.defaults());
        s.receive(ByteBuffer.wrap(concat(frame(false, 4, 1, xor("a".getBytes(UTF_8)), true),
                frame(true, 4, 0, xor("b".getBytes(UTF_8)), true))));
        assertEquals(1002, peer.closeStatus.code());

        RecordingPeer p2 = new RecordingPeer();
        Session s2 = Session.server().extensions(List.of(new XorExtension(1, 0))).handler(p2).outbound(p2).build();
        s2.open();
        s2.receive(ByteBuffer.wrap(frame(true, 4, 9, new byte[0], true)));
        assertEquals(1002, p2.closeStatus.code());
    }

    @Test
    void rsvBitsNoExtensionClaimsAreAProtocolError() {
        Session s = server(new XorExtension(1, 0), WebSocketConfig.defaults());
        s.receive(ByteBuffer.wrap(frame(true, 2, 2, new byte[1], true)));
        assertEquals(1002, peer.closeStatus.code());
    }

    @Test
    void decodedSizeIsBoundedWhileDecodingNotAfter() {
        // 100 wire bytes would decode to 100 000: the message limit is 1000, so decoding must stop at 1001.
        int[] largestBuffer = {0};
        XorExtension bomb = new XorExtension(1000, 0) {
            @Override
            public void decode(ByteBuffer in, boolean endOfMessage, ExtensionOutput out) throws WebSocketException {
                while (in.hasRemaining()) {
                    byte b = in.get();
                    for (int i = 0; i < expand; i++) {
                        ByteBuffer room = out.buffer(1);
                        largestBuffer[0] = Math.max(largestBuffer[0], room.capacity());
                        room.put(b);
                    }
                }
            }
        };
        Session s = server(bomb, WebSocketConfig.builder().maxMessageSize(1000).build());
        s.receive(ByteBuffer.wrap(frame(true, 4, 2, new byte[100], true)));
        assertEquals(1009, peer.closeStatus.code());
        assertTrue(largestBuffer[0] <= 1001, "buffer grew to " + largestBuffer[0]);
    }

    @Test
    void encodesOutgoingMessagesWithRsvOnTheFirstFrameOnly() {
        RecordingPeer p = new RecordingPeer();
        Session s = Session.server().config(WebSocketConfig.builder().outboundFragmentSize(3).build())
                .extensions(List.of(new XorExtension(1, 0))).handler(p).outbound(p).build();
        s.open();
        s.sendText("hello");
        List<Frame> frames = p.frames();
        assertEquals(List.of(4, 0), frames.stream().map(Frame::rsv).toList());
        byte[] joined = concat(frames.get(0).payload(), frames.get(1).payload());
        assertArrayEquals(xor("hello".getBytes(UTF_8)), joined);
    }

    @Test
    void messagesTheExtensionDeclinesGoOutUnchanged() {
        Session s = server(new XorExtension(1, 10), WebSocketConfig.defaults());
        s.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        Frame f = peer.frames().get(0);
        assertEquals(0, f.rsv());
        assertArrayEquals(new byte[] {1, 2, 3}, f.payload());
    }

    @Test
    void partsOfOneMessageShareTheFirstPartsEncoding() {
        Session s = server(new XorExtension(1, 0), WebSocketConfig.defaults());
        s.sendBinary(ByteBuffer.wrap(new byte[] {1}), false);
        s.sendBinary(ByteBuffer.wrap(new byte[] {2}), true);
        List<Frame> f = peer.frames();
        assertEquals(List.of(4, 0), f.stream().map(Frame::rsv).toList());
        assertArrayEquals(new byte[] {1 ^ 0x5A}, f.get(0).payload());
        assertArrayEquals(new byte[] {2 ^ 0x5A}, f.get(1).payload());
        assertFalse(f.get(0).fin());
    }

    @Test
    void extensionsAreReleasedWhenTheConnectionEnds() {
        XorExtension ext = new XorExtension(1, 0);
        Session s = server(ext, WebSocketConfig.defaults());
        s.transportClosed(null);
        assertEquals(1, ext.released);
    }
}
