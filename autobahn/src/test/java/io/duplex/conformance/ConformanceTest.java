package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.nio.TransportBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * The base of every section's cases. Each section runs its cases twice, in two {@code @Nested} classes:
 * {@code OurServer} (the raw peer plays the client) and {@code OurClient} (the raw peer plays the server), as
 * the Autobahn TestSuite's fuzzing client and fuzzing server do.
 */
abstract class ConformanceTest implements UnderTest {

    private final List<Testee> testees = new ArrayList<>();
    /** The testee of the current case, once {@link #open} started it. */
    Testee testee;

    /** Starts the testee with default options and returns the raw peer connected to it. */
    RawPeer open() throws Exception {
        return open(b -> { });
    }

    /** Starts the testee with {@code options} applied to its builder. */
    RawPeer open(Consumer<TransportBuilder<?>> options) throws Exception {
        return open(options, new byte[0]);
    }

    /**
     * Starts the testee; the raw peer sends {@code early} in the same write as its side of the opening
     * handshake (frames as this role sends them: masked when the peer plays the client).
     */
    RawPeer open(Consumer<TransportBuilder<?>> options, byte[] early) throws Exception {
        return open(options, early, null, offer -> "");
    }

    /**
     * Starts the testee with an extension negotiation: as the client, the raw peer offers {@code offer} (null:
     * no header); as the server, it answers our client's offer with {@code answer} (empty: no header).
     */
    RawPeer open(Consumer<TransportBuilder<?>> options, String offer, UnaryOperator<String> answer) throws Exception {
        return open(options, new byte[0], offer, answer);
    }

    private RawPeer open(Consumer<TransportBuilder<?>> options, byte[] early, String offer,
            UnaryOperator<String> answer) throws Exception {
        testee = role() == Role.SERVER ? Testee.server(options, early, offer) : Testee.client(options, early, answer);
        testees.add(testee);
        return testee.peer;
    }

    /** The masking key the raw peer uses for frames built before it exists; null when it plays the server. */
    byte[] peerMaskKey() {
        return role() == Role.SERVER ? new byte[] {0x37, (byte) 0xFA, 0x21, 0x3D} : null;
    }

    /**
     * The testee failed the connection with {@code code}: its Close arrives promptly with nothing before it,
     * TCP drops without waiting for our Close, and its handler saw the same code.
     */
    void assertFailed(int code) throws Exception {
        testee.peer.expectFailure(code);
        assertEquals(code, testee.awaitClosed(RawPeer.FAIL_WITHIN).status().code(), "code reported to onClose");
    }

    /**
     * Sends a valid text message, then {@code offending}, then a Ping, in one write: the testee echoes the
     * message, fails the connection with {@code code}, and neither processes nor answers what followed.
     */
    void assertFailsBetween(byte[] offending, int code) throws Exception {
        RawPeer peer = testee.peer;
        peer.sendFrames(peer.frame(true, 0, Frame.TEXT, RawPeer.utf8("before")), offending,
                peer.frame(true, 0, Frame.PING, RawPeer.utf8("after")));
        peer.expectText("before");
        assertFailed(code);
    }

    /** We close with 1000: the testee echoes it, the connection ends cleanly on both views. */
    void closeNormally() throws Exception {
        closeWith(FrameBytes.closePayload(1000, ""), 1000);
    }

    /**
     * We start the close handshake with {@code payload}: the testee answers with {@code answeredCode} (-1: a
     * Close without a body), sends nothing more, the TCP connection ends as §7.1.1 says (the server drops it
     * first), and the testee's handler reports a clean close with that code (1005 for none, §7.1.5).
     */
    void closeWith(byte[] payload, int answeredCode) throws Exception {
        RawPeer peer = testee.peer;
        peer.send(Frame.CLOSE, payload);
        peer.expectClose(answeredCode, RawPeer.PROMPT);
        peer.finishClose();
        EchoHandler.Closed closed = testee.awaitClosed(RawPeer.PROMPT);
        assertEquals(answeredCode == -1 ? 1005 : answeredCode, closed.status().code(), "code reported to onClose");
        assertTrue(closed.clean(), "close handshake completed");
    }

    @AfterEach
    void closeTestees() throws Exception {
        for (Testee t : testees) {
            t.close();
            assertTrue(t.handler.closeCalls.get() <= 1, "onClose is called once at most");
        }
        testees.clear();
    }
}
