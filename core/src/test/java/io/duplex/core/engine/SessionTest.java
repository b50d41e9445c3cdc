package io.duplex.core.engine;

import static io.duplex.core.engine.WireFrames.client;
import static io.duplex.core.engine.WireFrames.concat;
import static io.duplex.core.engine.WireFrames.frame;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketException;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.WireFrames.Frame;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The session engine's protocol rules (RFC 6455 §5–§8), driven with hand-built frames. */
class SessionTest {

    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CONT = 0;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    private final RecordingPeer peer = new RecordingPeer();

    private Session server(WebSocketConfig config) {
        Session s = Session.server().config(config).handler(peer).outbound(peer).build();
        s.open();
        return s;
    }

    private Session server() {
        return server(WebSocketConfig.defaults());
    }

    private Session clientSession() {
        Session s = Session.client().handler(peer).outbound(peer).build();
        s.open();
        return s;
    }

    private static void feed(Session s, byte[] bytes) {
        s.receive(ByteBuffer.wrap(bytes));
    }

    /** Asserts the session failed the connection with {@code code}: Close sent, TCP closed, reported unclean. */
    private void assertFailed(int code) {
        List<Frame> frames = peer.frames();
        Frame last = frames.get(frames.size() - 1);
        assertEquals(CLOSE, last.opcode(), "last frame written is a Close: " + frames);
        assertEquals(code, last.closeCode());
        assertEquals(1, peer.closeTransportCalls, "TCP closed");
        assertEquals(1, peer.closeReports, "onClose exactly once");
        assertEquals(code, peer.closeStatus.code());
        assertFalse(peer.closeClean);
        assertEquals(1, peer.errors.size());
        assertInstanceOf(WebSocketException.class, peer.errors.get(0));
    }

    @Test
    void deliversTextAndBinaryMessages() {
        Session s = server();
        feed(s, concat(client(true, TEXT, "héllo €𝄞".getBytes(UTF_8)), client(true, BINARY, new byte[] {1, 2, 3})));
        assertEquals(List.of("open", "text:héllo €𝄞", "binary:3:" + java.util.Arrays.hashCode(new byte[] {1, 2, 3})),
                peer.events);
    }

    @Test
    void deliversEmptyMessages() {
        Session s = server();
        feed(s, concat(client(true, TEXT, new byte[0]), client(true, BINARY, new byte[0])));
        assertEquals(List.of("open", "text:", "binary:0:1"), peer.events);
    }

    @Test
    void sameResultWhenInputArrivesOneByteAtATime() {
        byte[] wire = concat(client(false, TEXT, "frag".getBytes(UTF_8)), client(true, PING, "p".getBytes(UTF_8)),
                client(true, CONT, "ment €".getBytes(UTF_8)), client(true, BINARY, WireFrames.bytes(70000, 3)));
        Session s = server();
        for (byte b : wire) {
            s.receive(ByteBuffer.wrap(new byte[] {b}));
        }
        assertEquals(List.of("open", "ping:p", "text:fragment €",
                "binary:70000:" + java.util.Arrays.hashCode(WireFrames.bytes(70000, 3))), peer.events);
    }

    @Test
    void answersPingWithPongOfSamePayloadEvenBetweenFragments() {
        Session s = server();
        feed(s, concat(client(false, TEXT, "a".getBytes(UTF_8)), client(true, PING, "hi".getBytes(UTF_8)),
                client(true, CONT, "b".getBytes(UTF_8))));
        List<Frame> out = peer.frames();
        assertEquals(1, out.size());
        assertEquals(PONG, out.get(0).opcode());
        assertEquals("hi", out.get(0).text());
        assertFalse(out.get(0).masked(), "server frames are not masked");
        assertEquals(List.of("open", "ping:hi", "text:ab"), peer.events);
    }

    @Test
    void answersA125BytePing() {
        Session s = server();
        byte[] payload = WireFrames.bytes(125, 9);
        feed(s, client(true, PING, payload));
        assertArrayEquals(payload, peer.frames().get(0).payload());
    }

    @Test
    void unsolicitedPongIsReportedAndNotAnswered() {
        Session s = server();
        feed(s, client(true, PONG, "x".getBytes(UTF_8)));
        assertTrue(peer.frames().isEmpty());
        assertEquals(List.of("open", "pong:x"), peer.events);
    }

    @Test
    void pingOver125BytesIsAProtocolError() {
        feed(server(), client(true, PING, new byte[126]));
        assertFailed(1002);
    }

    @Test
    void fragmentedControlFrameIsAProtocolError() {
        feed(server(), client(false, PING, new byte[1]));
        assertFailed(1002);
    }

    @Test
    void continuationWithoutAMessageIsAProtocolError() {
        feed(server(), client(true, CONT, "x".getBytes(UTF_8)));
        assertFailed(1002);
    }

    @Test
    void newDataFrameInsideAFragmentedMessageIsAProtocolError() {
        feed(server(), concat(client(false, TEXT, "a".getBytes(UTF_8)), client(true, TEXT, "b".getBytes(UTF_8))));
        assertFailed(1002);
    }

    @Test
    void reservedBitsWithoutAnExtensionAreAProtocolError() {
        feed(server(), frame(true, 4, TEXT, "x".getBytes(UTF_8), true));
        assertFailed(1002);
    }

    @Test
    void reservedOpcodesAreAProtocolError() {
        for (int op : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            RecordingPeer p = new RecordingPeer();
            Session s = Session.server().handler(p).outbound(p).build();
            s.open();
            s.receive(ByteBuffer.wrap(client(true, op, new byte[0])));
            assertEquals(1002, p.closeStatus.code(), "opcode " + op);
            assertEquals(1002, p.frames().get(0).closeCode(), "opcode " + op);
        }
    }

    @Test
    void serverFailsOnUnmaskedClientFrame() {
        feed(server(), frame(true, 0, TEXT, "x".getBytes(UTF_8), false));
        assertFailed(1002);
    }

    @Test
    void clientFailsOnMaskedServerFrame() {
        Session s = clientSession();
        feed(s, frame(true, 0, TEXT, "x".getBytes(UTF_8), true));
        assertFailed(1002);
        assertTrue(peer.frames().get(0).masked(), "the client's Close is masked");
    }

    @Test
    void invalidUtf8FailsInsideTheFirstFragmentBeforTheMessageEnds() {
        Session s = server();
        // The first fragment already holds an impossible sequence; the message never finishes.
        feed(s, client(false, TEXT, new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF}));
        assertFailed(1007);
    }

    @Test
    void invalidUtf8FailsInsideAFrameSplitAcrossReads() {
        Session s = server();
        byte[] wire = client(true, TEXT, concat("abc".getBytes(UTF_8), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[100]));
        // Deliver up to and including the byte that makes the text invalid (0xA0 after 0xED): header 6 + 5 bytes.
        s.receive(ByteBuffer.wrap(wire, 0, 6 + 5));
        assertFailed(1007);
    }

    @Test
    void codePointSplitAcrossFragmentsIsValid() {
        byte[] euro = "€".getBytes(UTF_8);
        Session s = server();
        feed(s, concat(client(false, TEXT, new byte[] {euro[0]}), client(false, CONT, new byte[] {euro[1]}),
                client(true, CONT, new byte[] {euro[2]})));
        assertEquals(List.of("open", "text:€"), peer.events);
    }

    @Test
    void textEndingInsideACodePointIsInvalid() {
        byte[] euro = "€".getBytes(UTF_8);
        feed(server(), client(true, TEXT, new byte[] {euro[0], euro[1]}));
        assertFailed(1007);
        assertTrue(peer.events.stream().noneMatch(e -> e.startsWith("text:")), "nothing delivered: " + peer.events);
    }

    @Test
    void textEndingInsideACodePointIsInvalidWhenTheFrameArrivesInPieces() {
        byte[] wire = client(true, TEXT, new byte[] {'a', (byte) 0xF0, (byte) 0x90, (byte) 0x80});
        Session s = server();
        s.receive(ByteBuffer.wrap(wire, 0, 7));
        s.receive(ByteBuffer.wrap(wire, 7, wire.length - 7));
        assertFailed(1007);
        assertTrue(peer.events.stream().noneMatch(e -> e.startsWith("text:")), "nothing delivered: " + peer.events);
    }

    @Test
    void frameOverTheFrameLimitFailsFromTheHeaderAlone() {
        Session s = server(WebSocketConfig.builder().maxFrameSize(1000).build());
        byte[] wire = client(true, BINARY, new byte[1001]);
        s.receive(ByteBuffer.wrap(wire, 0, 8)); // 2-byte header + 2-byte length + 4-byte key: no payload yet
        assertFailed(1009);
    }

    @Test
    void messageOverTheMessageLimitAcrossFragmentsFailsFromTheLengthField() {
        Session s = server(WebSocketConfig.builder().maxMessageSize(1000).build());
        feed(s, client(false, BINARY, new byte[600]));
        byte[] second = client(true, CONT, new byte[600]);
        s.receive(ByteBuffer.wrap(second, 0, 8));
        assertFailed(1009);
    }

    @Test
    void tooManyFragmentsFail() {
        Session s = server(WebSocketConfig.builder().maxFragmentsPerMessage(3).build());
        feed(s, concat(client(false, TEXT, new byte[0]), client(false, CONT, new byte[0]), client(false, CONT, new byte[0]),
                client(false, CONT, new byte[0])));
        assertFailed(1009);
    }

    @Test
    void peerInitiatedCloseIsEchoedAndTheServerClosesTcp() {
        Session s = server();
        feed(s, client(true, CLOSE, WireFrames.close(1000, "bye")));
        Frame echo = peer.frames().get(0);
        assertEquals(CLOSE, echo.opcode());
        assertEquals(1000, echo.closeCode());
        assertEquals(1, peer.closeTransportCalls);
        assertEquals(CloseStatus.received(1000, "bye"), peer.closeStatus);
        assertTrue(peer.closeClean);
        assertTrue(peer.errors.isEmpty());
        assertFalse(s.isOpen());
    }

    @Test
    void clientWaitsForTheServerToCloseTcpAfterTheExchange() {
        Session s = clientSession();
        s.close(1000, "done");
        Frame ours = peer.frames().get(0);
        assertTrue(ours.masked());
        assertEquals(1000, ours.closeCode());
        assertEquals(1, peer.closeStartedCalls, "the transport arms its close timer");
        feed(s, frame(true, 0, CLOSE, WireFrames.close(1000, "done"), false));
        assertEquals(0, peer.closeTransportCalls, "the client leaves the TCP close to the server");
        assertTrue(peer.closeClean);
        s.closeTimeoutExpired();
        assertEquals(1, peer.closeTransportCalls, "but closes it itself when the server does not");
        s.transportClosed(null);
        assertEquals(1, peer.closeReports, "onClose exactly once");
    }

    @Test
    void emptyCloseIsAnsweredWithEmptyCloseAndReportedAs1005() {
        feed(server(), client(true, CLOSE, new byte[0]));
        assertEquals(0, peer.frames().get(0).payload().length);
        assertEquals(1005, peer.closeStatus.code());
        assertTrue(peer.closeClean);
    }

    @Test
    void oneByteClosePayloadIsAProtocolError() {
        feed(server(), client(true, CLOSE, new byte[] {3}));
        assertFailed(1002);
    }

    @Test
    void closeCodesThatMayNotBeSentAreProtocolErrors() {
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
            RecordingPeer p = new RecordingPeer();
            Session s = Session.server().handler(p).outbound(p).build();
            s.open();
            s.receive(ByteBuffer.wrap(client(true, CLOSE, WireFrames.close(code, ""))));
            assertEquals(1002, p.closeStatus.code(), "code " + code);
        }
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999}) {
            RecordingPeer p = new RecordingPeer();
            Session s = Session.server().handler(p).outbound(p).build();
            s.open();
            s.receive(ByteBuffer.wrap(client(true, CLOSE, WireFrames.close(code, ""))));
            assertEquals(code, p.closeStatus.code(), "code " + code);
            assertTrue(p.closeClean, "code " + code);
        }
    }

    @Test
    void closeReasonThatIsNotUtf8IsInvalidPayload() {
        feed(server(), client(true, CLOSE, concat(new byte[] {0x03, (byte) 0xE8}, new byte[] {(byte) 0xFF})));
        assertFailed(1007);
    }

    @Test
    void nothingIsSentAfterClose() throws Exception {
        Session s = server();
        s.close(1001, "going");
        peer.drain();
        CompletableFuture<Void> text = s.sendText("late");
        CompletableFuture<Void> bin = s.sendBinary(ByteBuffer.allocate(1));
        CompletableFuture<Void> ping = s.sendPing(ByteBuffer.allocate(1));
        assertTrue(text.isCompletedExceptionally() && bin.isCompletedExceptionally() && ping.isCompletedExceptionally());
        ExecutionException e = assertThrows(ExecutionException.class, text::get);
        assertInstanceOf(IllegalStateException.class, e.getCause());
        // A ping arriving while we wait for the peer's Close is not answered: no frame may follow our Close.
        feed(s, client(true, PING, new byte[] {1}));
        assertTrue(peer.frames().isEmpty());
    }

    @Test
    void bytesAfterTheCloseFrameAreIgnored() {
        Session s = server();
        feed(s, concat(client(true, CLOSE, WireFrames.close(1000, "")), client(true, TEXT, "ghost".getBytes(UTF_8))));
        assertFalse(peer.events.contains("text:ghost"));
        assertEquals(1, peer.closeReports);
    }

    @Test
    void invalidCloseCodeFromTheApplicationIsRefused() {
        Session s = server();
        assertThrows(IllegalArgumentException.class, () -> s.close(1005, ""));
        assertThrows(IllegalArgumentException.class, () -> s.close(1000, "x".repeat(124)));
        assertTrue(s.isOpen());
    }

    @Test
    void peerVanishingReports1006Once() {
        Session s = server();
        s.transportClosed(new java.io.IOException("reset"));
        s.transportClosed(null);
        assertEquals(1, peer.closeReports);
        assertEquals(1006, peer.closeStatus.code());
        assertFalse(peer.closeClean);
    }

    @Test
    void handlerExceptionFailsTheConnectionWith1011() {
        peer.delegate = new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                throw new IllegalStateException("boom");
            }
        };
        Session s = server();
        feed(s, client(true, TEXT, "x".getBytes(UTF_8)));
        assertEquals(1011, peer.closeStatus.code());
        assertEquals(1011, peer.frames().get(0).closeCode());
        assertEquals("boom", peer.errors.get(0).getMessage());
    }

    @Test
    void clientMasksEveryFrameAndServerMasksNone() {
        Session c = clientSession();
        c.sendText("hello");
        c.sendBinary(ByteBuffer.wrap(WireFrames.bytes(70000, 1)));
        for (Frame f : peer.drain()) {
            assertTrue(f.masked());
        }
        RecordingPeer sp = new RecordingPeer();
        Session s = Session.server().handler(sp).outbound(sp).build();
        s.open();
        s.sendText("hello");
        List<Frame> sf = sp.frames();
        assertFalse(sf.get(0).masked());
        assertEquals("hello", sf.get(0).text());
    }

    @Test
    void clientSendOfALargeMessageRoundTripsThroughMaskedChunks() {
        Session c = clientSession();
        byte[] data = WireFrames.bytes(200_000, 5);
        ByteBuffer buf = ByteBuffer.wrap(data);
        c.sendBinary(buf);
        assertFalse(buf.hasRemaining(), "the send consumes the buffer");
        assertArrayEquals(WireFrames.bytes(200_000, 5), data, "the caller's bytes are not masked in place");
        List<Frame> frames = peer.frames();
        assertEquals(1, frames.size());
        assertArrayEquals(data, frames.get(0).payload());
    }

    @Test
    void outboundFragmentSizeSplitsMessages() {
        RecordingPeer p = new RecordingPeer();
        Session s = Session.server().config(WebSocketConfig.builder().outboundFragmentSize(100).build()).handler(p)
                .outbound(p).build();
        s.open();
        s.sendBinary(ByteBuffer.wrap(new byte[250]));
        String text = "€".repeat(70); // 210 bytes: frames must end on code point boundaries
        s.sendText(text);
        List<Frame> f = p.frames();
        assertEquals(List.of(BINARY, CONT, CONT, TEXT, CONT, CONT), f.stream().map(Frame::opcode).toList());
        assertEquals(List.of(false, false, true, false, false, true), f.stream().map(Frame::fin).toList());
        StringBuilder joined = new StringBuilder();
        for (Frame fr : f.subList(3, 6)) {
            assertTrue(fr.payload().length <= 100);
            joined.append(fr.text());
        }
        assertEquals(text, joined.toString());
    }

    @Test
    void sendingInPartsProducesOneFragmentedMessage() throws Exception {
        Session s = server();
        s.sendText("ab", false);
        // A surrogate pair split between parts is held back and sent whole.
        s.sendText("c\uD834", false);
        assertTrue(s.sendBinary(ByteBuffer.allocate(1)).isCompletedExceptionally(), "no other message meanwhile");
        s.sendPing(ByteBuffer.wrap(new byte[] {7}));
        s.sendText("\uDD1E", true);
        List<Frame> f = peer.frames();
        assertEquals(List.of(TEXT, CONT, PING, CONT), f.stream().map(Frame::opcode).toList());
        assertEquals("abc𝄞", f.get(0).text() + f.get(1).text() + f.get(3).text());
        assertTrue(f.get(3).fin());
    }

    @Test
    void textWithAnUnpairedSurrogateIsRefused() {
        Session s = server();
        CompletableFuture<Void> f = s.sendText("bad \uD800 text");
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(peer.frames().isEmpty());
    }

    @Test
    void streamingDeliversFramesAsTheyArriveWithWholeCodePoints() {
        Session s = server(WebSocketConfig.builder().streaming(true).build());
        byte[] clef = "𝄞".getBytes(UTF_8);
        feed(s, concat(client(false, TEXT, new byte[] {'a', clef[0], clef[1]}), client(true, CONT, new byte[] {clef[2], clef[3], 'b'}),
                client(false, BINARY, new byte[3]), client(true, CONT, new byte[0])));
        assertEquals(List.of("open", "textFragment:a:false", "textFragment:𝄞b:true", "binaryFragment:3:false",
                "binaryFragment:0:true"), peer.events);
    }

    @Test
    void binaryMessageInOneReadIsDeliveredWithoutCopy() {
        byte[][] seen = new byte[1][];
        peer.delegate = new WebSocketHandler() {
            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                seen[0] = data.array();
            }
        };
        Session s = server();
        byte[] wire = client(true, BINARY, new byte[] {1, 2, 3});
        s.receive(ByteBuffer.wrap(wire));
        assertTrue(seen[0] == wire, "the handler sees a view of the input buffer");
    }
}
