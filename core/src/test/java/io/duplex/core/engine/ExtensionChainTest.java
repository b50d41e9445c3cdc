package io.duplex.core.engine;

import static io.duplex.core.engine.WireFrames.frame;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.WebSocketException;
import io.duplex.core.engine.SessionExtensionTest.XorExtension;
import io.duplex.core.engine.WireFrames.Frame;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two extensions on one connection, each a class of its own and nothing else (RFC 6455 §9: extensions own
 * distinct RSV bits): each received message goes to the extension its first frame's RSV bits name, a bit no
 * extension owns or a combination none decodes fails with 1002, an outgoing message goes to the first extension
 * (in the agreed order) that claims it, and every extension is released when the connection ends.
 */
class ExtensionChainTest {

    /** A second test extension, on RSV2: each byte is stored plus one. Claims binary messages only. */
    static final class ShiftExtension implements Extension {
        int released;
        boolean failRelease;

        @Override
        public ExtensionOffer negotiated() {
            return ExtensionOffer.of("x-shift", Map.of());
        }

        @Override
        public int rsvBits() {
            return 2;
        }

        @Override
        public boolean decodes(int rsv) {
            return rsv == 2;
        }

        @Override
        public void decode(ByteBuffer in, boolean endOfMessage, ExtensionOutput out) throws WebSocketException {
            while (in.hasRemaining()) {
                out.buffer(1).put((byte) (in.get() - 1));
            }
        }

        @Override
        public int encodes(int opcode, long length) {
            return opcode == 2 ? 2 : 0;
        }

        @Override
        public void encode(ByteBuffer in, boolean endOfMessage, ExtensionOutput out) {
            while (in.hasRemaining()) {
                try {
                    out.buffer(1).put((byte) (in.get() + 1));
                } catch (WebSocketException e) {
                    throw new AssertionError(e);
                }
            }
        }

        @Override
        public void release() {
            released++;
            if (failRelease) {
                throw new IllegalStateException("release failed");
            }
        }
    }

    private final RecordingPeer peer = new RecordingPeer();
    /** On RSV1; declines outgoing messages under 10 bytes. */
    private final XorExtension xor = new XorExtension(1, 10);
    private final ShiftExtension shift = new ShiftExtension();

    private Session server() {
        Session s = Session.server().extensions(List.of(xor, shift)).handler(peer).outbound(peer).build();
        s.open();
        return s;
    }

    private static byte[] map(byte[] a, int xorWith, int add) {
        byte[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((b[i] ^ xorWith) + add);
        }
        return b;
    }

    @Test
    void eachReceivedMessageGoesToTheExtensionItsRsvBitsName() {
        Session s = server();
        s.receive(ByteBuffer.wrap(frame(true, 4, 1, map("xor".getBytes(UTF_8), 0x5A, 0), true)));
        s.receive(ByteBuffer.wrap(frame(true, 2, 1, map("shift".getBytes(UTF_8), 0, 1), true)));
        s.receive(ByteBuffer.wrap(frame(true, 0, 1, "plain".getBytes(UTF_8), true)));
        assertEquals(List.of("open", "text:xor", "text:shift", "text:plain"), peer.events);
    }

    @Test
    void rsvBitsNoExtensionOwnsOrDecodesFailTheConnection() {
        Session s = server();
        s.receive(ByteBuffer.wrap(frame(true, 1, 2, new byte[1], true)));
        assertEquals(1002, peer.closeStatus.code());

        RecordingPeer p2 = new RecordingPeer();
        Session s2 = Session.server().extensions(List.of(xor, shift)).handler(p2).outbound(p2).build();
        s2.open();
        s2.receive(ByteBuffer.wrap(frame(true, 6, 2, new byte[1], true)));
        assertEquals(1002, p2.closeStatus.code());
    }

    @Test
    void anOutgoingMessageGoesToTheFirstExtensionThatClaimsIt() {
        Session s = server();
        byte[] small = {1, 2, 3};
        byte[] large = "twenty bytes of data".getBytes(UTF_8);
        s.sendBinary(ByteBuffer.wrap(small));
        s.sendBinary(ByteBuffer.wrap(large));
        s.sendText("short");
        List<Frame> frames = peer.frames();
        assertEquals(List.of(2, 4, 0), frames.stream().map(Frame::rsv).toList());
        assertArrayEquals(map(small, 0, 1), frames.get(0).payload());
        assertArrayEquals(map(large, 0x5A, 0), frames.get(1).payload());
        assertArrayEquals("short".getBytes(UTF_8), frames.get(2).payload());
    }

    @Test
    void everyExtensionIsReleasedOnceEvenWhenOneThrows() {
        shift.failRelease = true;
        Session s = server();
        s.transportClosed(null);
        assertEquals(1, xor.released);
        assertEquals(1, shift.released);
        assertTrue(peer.errors.stream().anyMatch(e -> "release failed".equals(e.getMessage())), peer.errors.toString());
        assertEquals(1, peer.closeReports);
    }
}
