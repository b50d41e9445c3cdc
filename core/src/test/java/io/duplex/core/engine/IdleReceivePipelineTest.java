package io.duplex.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A server's keepalive Pings make an idle connection answer with Pongs; the session must not keep its receive
 * pipeline (decoder, assembler) for that connection between them, or every idle connection pays for it once
 * pinged. Anything else in progress keeps it, and nothing received is lost either way.
 */
class IdleReceivePipelineTest {

    private final RecordingPeer peer = new RecordingPeer();
    private final Session session = open();

    private Session open() {
        Session s = Session.server().handler(peer).outbound(peer).build();
        s.open();
        return s;
    }

    private static byte[] masked(boolean fin, int opcode, String payload) {
        return WireFrames.frame(fin, 0, opcode, payload.getBytes(StandardCharsets.UTF_8), true);
    }

    private void receive(byte[] bytes) {
        session.receive(ByteBuffer.wrap(bytes));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void bytesHoldingOnlyPongsLeaveNoPipeline() {
        receive(concat(masked(true, 0xA, "k1"), masked(true, 0xA, "k2")));
        assertFalse(session.holdsReceivePipeline(), "two Pongs and nothing else");
        receive(masked(true, 0x1, "hello"));
        assertEquals(List.of("open", "pong:k1", "pong:k2", "text:hello"), peer.events);
        assertTrue(session.holdsReceivePipeline(), "a data message keeps it for the next");
    }

    @Test
    void aPongSplitAcrossReadsIsDecodedWholeAndThenLetGo() {
        byte[] pong = masked(true, 0xA, "keepalive");
        receive(Arrays.copyOfRange(pong, 0, 5));
        assertTrue(session.holdsReceivePipeline(), "half a frame is held");
        receive(Arrays.copyOfRange(pong, 5, pong.length));
        assertFalse(session.holdsReceivePipeline());
        assertEquals(List.of("open", "pong:keepalive"), peer.events);
    }

    @Test
    void aPongInsideAFragmentedMessageKeepsTheMessage() {
        receive(masked(false, 0x1, "hel"));
        receive(masked(true, 0xA, "k"));
        assertTrue(session.holdsReceivePipeline(), "a message is in progress");
        receive(masked(true, 0x0, "lo"));
        assertEquals(List.of("open", "pong:k", "text:hello"), peer.events);
    }

    @Test
    void aPongFollowedByPartOfAFrameKeepsThePart() {
        byte[] text = masked(true, 0x1, "after");
        receive(concat(masked(true, 0xA, "k"), Arrays.copyOfRange(text, 0, 4)));
        assertTrue(session.holdsReceivePipeline(), "the next frame has begun");
        receive(Arrays.copyOfRange(text, 4, text.length));
        assertEquals(List.of("open", "pong:k", "text:after"), peer.events);
    }

    @Test
    void aServersKeepalivePingLeavesNoSendSideAndItsPongNoReceivePipeline() {
        session.sendPing(ByteBuffer.allocate(0));
        assertFalse(session.holdsSendSide(), "a Ping on a connection that sent nothing else");
        receive(masked(true, 0xA, ""));
        assertFalse(session.holdsReceivePipeline());
        session.sendText("data");
        assertTrue(session.holdsSendSide(), "a data message keeps the send side");
        session.sendPing(ByteBuffer.allocate(0));
        assertTrue(session.holdsSendSide());
        List<WireFrames.Frame> frames = peer.frames();
        assertEquals(3, frames.size(), "Ping, text, Ping: " + frames);
        assertEquals(0x9, frames.get(0).opcode());
        assertEquals(0x1, frames.get(1).opcode());
        assertEquals(0x9, frames.get(2).opcode());
    }

    @Test
    void aPingIsAnsweredAndKeepsThePipeline() {
        receive(masked(true, 0x9, "p"));
        assertTrue(session.holdsReceivePipeline(), "only Pongs let it go");
        assertEquals(1, peer.frames().size(), "the Pong answering the Ping");
    }
}
