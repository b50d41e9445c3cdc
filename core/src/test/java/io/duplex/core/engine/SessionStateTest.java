package io.duplex.core.engine;

import static io.duplex.core.engine.WireFrames.client;
import static io.duplex.core.engine.WireFrames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.engine.Session.State;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The session's protocol states through each way a connection can end (RFC 6455 §7). */
class SessionStateTest {

    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    private final RecordingPeer peer = new RecordingPeer();

    private Session build(boolean clientRole) {
        return (clientRole ? Session.client() : Session.server()).handler(peer).outbound(peer).build();
    }

    private static void feed(Session s, byte[] bytes) {
        s.receive(ByteBuffer.wrap(bytes));
    }

    private List<Integer> opcodesSent() {
        return peer.frames().stream().map(WireFrames.Frame::opcode).toList();
    }

    @Test
    void aSessionIsConnectingUntilOpenedAndRefusesToSendOrCloseBefore() {
        Session s = build(false);
        assertEquals(State.CONNECTING, s.state());
        assertFalse(s.isOpen());
        ExecutionException e = assertThrows(ExecutionException.class, () -> s.sendText("early").get());
        assertTrue(e.getCause().getMessage().contains("not open"), e.getCause().getMessage());
        assertThrows(ExecutionException.class, () -> s.close(CloseStatus.NORMAL_CLOSURE, "").get());
        s.open();
        assertEquals(State.OPEN, s.state());
        assertThrows(IllegalStateException.class, s::open, "open() a second time");
    }

    @Test
    void ourCloseMovesToClosingThenThePeersCloseToClosedCleanly() {
        Session s = build(false);
        s.open();
        s.close(CloseStatus.NORMAL_CLOSURE, "bye");
        assertEquals(State.CLOSING, s.state());
        assertTrue(s.isClosing());
        // §7.1.2: frames still come in while we wait for the peer's Close, but a Ping is no longer answered.
        feed(s, client(true, PING, new byte[] {1}));
        assertEquals(List.of(CLOSE), opcodesSent(), "only our Close went out");
        assertEquals(0, peer.closeReports);
        feed(s, client(true, CLOSE, WireFrames.close(CloseStatus.NORMAL_CLOSURE, "")));
        assertEquals(State.CLOSED, s.state());
        assertEquals(1, peer.closeReports);
        assertTrue(peer.closeClean);
        assertEquals(1, peer.closeTransportCalls, "a server closes TCP first (§7.1.1)");
        assertEquals(List.of(CLOSE), opcodesSent(), "no second Close");
    }

    @Test
    void thePeersCloseIsEchoedAndTheSessionIsClosedAtOnce() {
        Session s = build(true);
        s.open();
        feed(s, frame(true, 0, CLOSE, WireFrames.close(CloseStatus.GOING_AWAY, "restart"), false));
        assertEquals(State.CLOSED, s.state());
        assertEquals(List.of(CLOSE), opcodesSent());
        assertEquals(CloseStatus.GOING_AWAY, peer.frames().get(0).closeCode(), "the echo carries the peer's code");
        assertEquals(0, peer.closeTransportCalls, "a client waits for the server to close TCP (§7.1.1)");
        assertTrue(peer.closeClean);
    }

    @Test
    void aPingIsAnsweredWhileOpen() {
        Session s = build(false);
        s.open();
        feed(s, client(true, PING, new byte[] {7}));
        assertEquals(List.of(PONG), opcodesSent());
        assertEquals(State.OPEN, s.state());
    }

    @Test
    void theEndOfTcpBeforeAnyCloseIsAbnormal() {
        Session s = build(false);
        s.open();
        s.transportClosed(null);
        assertEquals(State.CLOSED, s.state());
        assertEquals(CloseStatus.ABNORMAL_CLOSURE, peer.closeStatus.code());
        assertFalse(peer.closeClean);
        feed(s, client(true, PING, new byte[] {1}));
        assertEquals(List.of(), opcodesSent(), "nothing is sent once closed");
    }

    @Test
    void aProtocolErrorFailsTheConnectionFromOpenToClosed() {
        Session s = build(false);
        s.open();
        feed(s, frame(true, 0, 3, new byte[0], true)); // a reserved opcode
        assertEquals(State.CLOSED, s.state());
        assertEquals(List.of(CLOSE), opcodesSent());
        assertEquals(CloseStatus.PROTOCOL_ERROR, peer.frames().get(0).closeCode());
    }

    @Test
    void abortClosesFromAnyStateOnce() {
        Session s = build(false);
        s.open();
        s.abort();
        s.abort();
        assertEquals(State.CLOSED, s.state());
        assertEquals(1, peer.closeReports);
        assertEquals(1, peer.closeTransportCalls);
    }
}
