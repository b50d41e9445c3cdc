package io.duplex.core.engine;

import static io.duplex.core.engine.HandshakeBytes.heap;
import static io.duplex.core.engine.HandshakeBytes.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.HandshakePolicy;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A handshake's outcome as one value, and a session started from it with everything the handshake agreed. */
class HandshakeResultTest {

    private static final WebSocketHandler HANDLER = new WebSocketHandler() { };
    /** RFC 7692 §7.2.3.1: "Hello" compressed in one block, without the 0x00 0x00 0xff 0xff tail. */
    private static final byte[] RFC_HELLO = {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00};

    @Test
    void anAcceptedServerHandshakeYieldsEverythingItAgreed() {
        HandshakePolicy policy = HandshakePolicy.builder().handler(HANDLER).subprotocols(List.of("chat"))
                .extensions(List.of(PerMessageDeflate.defaults())).build();
        ServerHandshake hs = new ServerHandshake(WebSocketConfig.defaults(), policy);
        assertThrows(IllegalStateException.class, hs::result, "no result before the handshake decided");
        assertEquals(ServerHandshake.State.ACCEPTED, hs.receive(heap(with("Sec-WebSocket-Protocol: chat",
                "Sec-WebSocket-Extensions: permessage-deflate"))));
        HandshakeResult agreed = hs.result();
        assertEquals("/chat?room=1", agreed.request().target());
        assertEquals("chat", agreed.subprotocol());
        assertEquals("permessage-deflate", agreed.extensionsHeader());
        assertEquals(1, agreed.extensions().size());
        assertSame(HANDLER, agreed.handler());

        RecordingPeer peer = new RecordingPeer();
        Session session = Session.server(new HandshakeResult(agreed.request(), agreed.subprotocol(),
                agreed.extensionsHeader(), agreed.extensions(), peer)).outbound(peer).build();
        assertEquals("chat", session.subprotocol());
        assertEquals("permessage-deflate", session.extensions());
        assertSame(agreed.request(), session.handshakeRequest());
        session.open();
        // RSV1 is claimed by the agreed extension, so a compressed frame is a message, not a protocol error.
        session.receive(java.nio.ByteBuffer.wrap(WireFrames.frame(true, 4, 1, RFC_HELLO, true)));
        assertEquals(List.of("open", "text:Hello"), peer.events);
    }

    @Test
    void aRejectedHandshakeHasNoResult() {
        ServerHandshake hs = new ServerHandshake(WebSocketConfig.defaults(),
                HandshakePolicy.builder().handler(HANDLER).build());
        assertEquals(ServerHandshake.State.REJECTED, hs.receive(heap(HandshakeBytes.without("Sec-WebSocket-Key"))));
        IllegalStateException e = assertThrows(IllegalStateException.class, hs::result);
        assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
    }
}
