package io.duplex.core.engine;

import static io.duplex.core.engine.WireFrames.concat;
import static io.duplex.core.engine.WireFrames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakeException;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketException;
import io.duplex.core.deflate.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The payload examples of RFC 7692 §7.2.3 received by a client session, and arbitrary compressed payloads
 * (which must end in a message, 1007 or 1009, never in an unchecked exception).
 */
class PerMessageDeflateRfcExamplesTest {

    private final RecordingPeer peer = new RecordingPeer();

    private Session client(PerMessageDeflate deflate, String response) throws HandshakeException {
        Extension e = deflate.accepted(ExtensionOffer.parse(List.of(response), 1, 4).get(0));
        Session s = Session.client().extensions(List.of(e)).handler(peer).outbound(peer).build();
        s.open();
        return s;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] compressed(String payloadHex) {
        return frame(true, 4, 1, hex(payloadHex), false);
    }

    @Test
    void section7231ASingleMessageAndItsRepeatWithContextTakeover() throws HandshakeException {
        Session s = client(PerMessageDeflate.defaults(), "permessage-deflate");
        s.receive(ByteBuffer.wrap(compressed("f2 48 cd c9 c9 07 00")));
        s.receive(ByteBuffer.wrap(compressed("f2 00 11 00 00")));
        assertEquals(List.of("open", "text:Hello", "text:Hello"), peer.events);
    }

    @Test
    void section7232AFragmentedMessage() throws HandshakeException {
        Session s = client(PerMessageDeflate.defaults(), "permessage-deflate");
        s.receive(ByteBuffer.wrap(concat(frame(false, 4, 1, hex("f2 48 cd"), false),
                frame(true, 0, 0, hex("c9 c9 07 00"), false))));
        assertEquals(List.of("open", "text:Hello"), peer.events);
    }

    @Test
    void section7233AStoredBlock() throws HandshakeException {
        Session s = client(PerMessageDeflate.defaults(), "permessage-deflate");
        s.receive(ByteBuffer.wrap(compressed("00 05 00 fa ff 48 65 6c 6c 6f 00")));
        assertEquals(List.of("open", "text:Hello"), peer.events);
    }

    @Test
    void section7234ABlockWithBfinalSetThenAnotherMessage() throws HandshakeException {
        Session s = client(PerMessageDeflate.defaults(), "permessage-deflate");
        s.receive(ByteBuffer.wrap(compressed("f3 48 cd c9 c9 07 00 00")));
        // the peer ended its stream, so the next message starts a new one
        s.receive(ByteBuffer.wrap(compressed("f2 48 cd c9 c9 07 00")));
        assertEquals(List.of("open", "text:Hello", "text:Hello"), peer.events);
    }

    @Test
    void section7235TwoBlocksInOneMessage() throws HandshakeException {
        Session s = client(PerMessageDeflate.defaults(), "permessage-deflate");
        s.receive(ByteBuffer.wrap(compressed("f2 48 05 00 00 00 ff ff ca c9 c9 07 00")));
        assertEquals(List.of("open", "text:Hello"), peer.events);
    }

    @Test
    void section7236AnEmptyMessage() throws HandshakeException {
        Session s = client(PerMessageDeflate.defaults(), "permessage-deflate");
        s.receive(ByteBuffer.wrap(compressed("00")));
        assertEquals(List.of("open", "text:"), peer.events);
    }

    @Test
    void withServerNoContextTakeoverTheRepeatCannotReferToTheFirstMessage() throws HandshakeException {
        Session s = client(PerMessageDeflate.defaults(), "permessage-deflate; server_no_context_takeover");
        s.receive(ByteBuffer.wrap(compressed("f2 48 cd c9 c9 07 00")));
        s.receive(ByteBuffer.wrap(compressed("f2 00 11 00 00")));
        assertEquals("text:Hello", peer.events.get(1));
        assertEquals(1007, peer.closeStatus.code(), "a distance into a forgotten history is invalid data");
    }

    @Property(tries = 300)
    void arbitraryPayloadsNeverEscapeAsUncheckedExceptions(@ForAll @Size(max = 64) List<byte[]> payloads,
            @ForAll boolean binary) throws HandshakeException {
        RecordingPeer p = new RecordingPeer();
        Extension e = PerMessageDeflate.defaults().accepted(ExtensionOffer.of("permessage-deflate"));
        Session s = Session.client().config(WebSocketConfig.builder().maxMessageSize(1 << 16).build())
                .extensions(List.of(e)).handler(p).outbound(p).build();
        s.open();
        for (byte[] payload : payloads) {
            s.receive(ByteBuffer.wrap(frame(true, 4, binary ? 2 : 1, payload, false)));
        }
        assertTrue(p.errors.stream().allMatch(x -> x instanceof WebSocketException), () -> p.errors.toString());
        // an unchecked exception would have escaped receive(); a failure must carry the RFC's code
        if (p.closeStatus != null) {
            assertTrue(List.of(1007, 1009).contains(p.closeStatus.code()), p.closeStatus::toString);
        }
    }
}
