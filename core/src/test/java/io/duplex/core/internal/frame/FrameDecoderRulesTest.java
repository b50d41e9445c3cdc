package io.duplex.core.internal.frame;

import static io.duplex.core.internal.frame.TestFrames.bytes;
import static io.duplex.core.internal.frame.TestFrames.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocketException;
import io.duplex.core.internal.frame.RecordingListener.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per rule the decoder enforces (RFC 6455 §5.1–§5.5), each asserting the exact close code, plus
 * the contract with the caller's buffer: consumed whole, unmasked in place, never copied.
 */
class FrameDecoderRulesTest {

    private static final int PROTOCOL_ERROR = 1002;
    private static final int MESSAGE_TOO_BIG = 1009;

    private final RecordingListener listener = new RecordingListener();
    /** A client's decoder: server frames are unmasked. */
    private final FrameDecoder client = new FrameDecoder(false, 1 << 20, listener);
    /** A server's decoder: client frames are masked. */
    private final FrameDecoder server = new FrameDecoder(true, 1 << 20, listener);

    // §5.2 payload length

    @Test
    void sixteenBitLengthBelow126IsNotMinimal() {
        assertFails(PROTOCOL_ERROR, client, bytes(0x82, 0x7E, 0x00, 0x7D));
    }

    @Test
    void sixteenBitLengthOf126IsAccepted() throws WebSocketException {
        client.decode(ByteBuffer.wrap(concat(bytes(0x82, 0x7E, 0x00, 0x7E), new byte[126])));
        assertEquals(List.of(Frame.of(true, 0, Opcode.BINARY, new byte[126])), listener.frames);
    }

    @Test
    void sixteenBitLengthOfZeroIsNotMinimal() {
        assertFails(PROTOCOL_ERROR, client, bytes(0x82, 0x7E, 0x00, 0x00));
    }

    @Test
    void sixtyFourBitLengthBelow65536IsNotMinimal() {
        assertFails(PROTOCOL_ERROR, client, bytes(0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF));
        assertFails(PROTOCOL_ERROR, new FrameDecoder(false, 1 << 20, listener), bytes(0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 5));
    }

    @Test
    void sixtyFourBitLengthWithTopBitSetIsAProtocolErrorNotTooBig() {
        assertFails(PROTOCOL_ERROR, client, bytes(0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0));
        FrameDecoder unlimited = new FrameDecoder(false, Long.MAX_VALUE, listener);
        assertFails(PROTOCOL_ERROR, unlimited, bytes(0x82, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
    }

    // §5.2 opcodes and RSV bits

    @ParameterizedTest
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodeFails(int opcode) {
        assertFails(PROTOCOL_ERROR, client, bytes(0x80 | opcode, 0x00));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
    void rsvBitWithoutExtensionFails(int rsvBits) {
        assertFails(PROTOCOL_ERROR, client, bytes(0x81 | rsvBits, 0x00));
    }

    @Test
    void negotiatedRsvBitIsAcceptedAndReportedOthersStillFail() throws WebSocketException {
        FrameDecoder client = new FrameDecoder(false, 1 << 20, 4, listener);
        client.decode(ByteBuffer.wrap(bytes(0xC1, 0x00)));
        assertEquals(List.of(Frame.of(true, 4, Opcode.TEXT, new byte[0])), listener.frames);
        assertFails(PROTOCOL_ERROR, client, bytes(0xA1, 0x00));
    }

    // §5.5 control frames

    @ParameterizedTest
    @ValueSource(ints = {Opcode.CLOSE, Opcode.PING, Opcode.PONG})
    void controlFrameLongerThan125FailsFromTheFirstTwoBytes(int opcode) {
        assertFails(PROTOCOL_ERROR, client, bytes(0x80 | opcode, 0x7E));
        assertFails(PROTOCOL_ERROR, new FrameDecoder(false, 1 << 20, listener), bytes(0x80 | opcode, 0x7F));
    }

    @Test
    void controlFrameOf125BytesIsAccepted() throws WebSocketException {
        client.decode(ByteBuffer.wrap(concat(bytes(0x89, 0x7D), new byte[125])));
        assertEquals(125, listener.frames.get(0).length());
    }

    @ParameterizedTest
    @ValueSource(ints = {Opcode.CLOSE, Opcode.PING, Opcode.PONG})
    void fragmentedControlFrameFails(int opcode) {
        assertFails(PROTOCOL_ERROR, client, bytes(opcode, 0x00));
    }

    @Test
    void controlFramesMayArriveBetweenFragments() throws WebSocketException {
        client.decode(ByteBuffer.wrap(bytes(0x01, 0x01, 'a', 0x89, 0x01, 'p', 0x8A, 0x00, 0x80, 0x01, 'b')));
        assertEquals(List.of(Frame.of(false, 0, Opcode.TEXT, bytes('a')), Frame.of(true, 0, Opcode.PING, bytes('p')),
                Frame.of(true, 0, Opcode.PONG, new byte[0]), Frame.of(true, 0, Opcode.CONTINUATION, bytes('b'))),
                listener.frames);
    }

    // §5.4 fragmentation

    @Test
    void continuationWithoutAMessageFails() {
        assertFails(PROTOCOL_ERROR, client, bytes(0x80, 0x00));
    }

    @Test
    void continuationAfterAFinishedMessageFails() {
        assertFails(PROTOCOL_ERROR, client, bytes(0x01, 0x00, 0x80, 0x00, 0x00, 0x00));
    }

    @ParameterizedTest
    @ValueSource(ints = {Opcode.TEXT, Opcode.BINARY})
    void newDataMessageInsideAFragmentedOneFails(int opcode) {
        assertFails(PROTOCOL_ERROR, client, bytes(0x02, 0x00, 0x80 | opcode, 0x00));
    }

    @Test
    void inFragmentedMessageFollowsFinAndIgnoresControlFrames() throws WebSocketException {
        assertFalse(client.inFragmentedMessage());
        client.decode(ByteBuffer.wrap(bytes(0x01, 0x00)));
        assertTrue(client.inFragmentedMessage());
        client.decode(ByteBuffer.wrap(bytes(0x89, 0x00, 0x00, 0x00)));
        assertTrue(client.inFragmentedMessage());
        client.decode(ByteBuffer.wrap(bytes(0x80, 0x00)));
        assertFalse(client.inFragmentedMessage());
    }

    // §5.1 masking direction

    @Test
    void serverRejectsUnmaskedFrame() {
        assertFails(PROTOCOL_ERROR, server, bytes(0x81, 0x00));
    }

    @Test
    void clientRejectsMaskedFrame() {
        assertFails(PROTOCOL_ERROR, client, bytes(0x81, 0x80, 1, 2, 3, 4));
    }

    // Frame size limit

    @Test
    void dataFrameOverTheLimitFailsWith1009FromTheLengthFieldAlone() {
        FrameDecoder small = new FrameDecoder(false, 1000, listener);
        assertFails(MESSAGE_TOO_BIG, small, bytes(0x82, 0x7E, 0x03, 0xE9)); // 1001 bytes declared, none sent
        assertTrue(listener.frames.isEmpty() && !listener.insideFrame(), "listener saw nothing of the frame");
    }

    @Test
    void limitAppliesToSevenAndSixtyFourBitLengthsAndContinuations() {
        assertFails(MESSAGE_TOO_BIG, new FrameDecoder(false, 100, listener), bytes(0x81, 0x65));
        assertFails(MESSAGE_TOO_BIG, new FrameDecoder(false, 1 << 20, listener),
                bytes(0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
        assertFails(MESSAGE_TOO_BIG, new FrameDecoder(true, 100, listener), bytes(0x01, 0x80, 0, 0, 0, 0, 0x80, 0xE5));
    }

    @Test
    void frameOfExactlyTheLimitIsAccepted() throws WebSocketException {
        new FrameDecoder(false, 1000, listener).decode(ByteBuffer.wrap(concat(bytes(0x82, 0x7E, 0x03, 0xE8), new byte[1000])));
        assertEquals(1000, listener.frames.get(0).length());
    }

    @Test
    void controlFramesAreBoundBy125NotByTheFrameLimit() throws WebSocketException {
        new FrameDecoder(false, 10, listener).decode(ByteBuffer.wrap(concat(bytes(0x89, 0x14), new byte[20])));
        assertEquals(20, listener.frames.get(0).length());
    }

    // After a failure

    @Test
    void decoderStaysDeadAfterAViolation() {
        WebSocketException first = assertFails(PROTOCOL_ERROR, client, bytes(0x83, 0x00));
        ByteBuffer valid = ByteBuffer.wrap(bytes(0x81, 0x00));
        WebSocketException again = assertThrows(WebSocketException.class, () -> client.decode(valid));
        assertSame(first, again);
        assertEquals(valid.limit(), valid.position());
        assertTrue(listener.frames.isEmpty());
    }

    @Test
    void listenerExceptionPropagatesAndRestoresTheBuffer() {
        FrameListener failing = new FrameListener() {
            @Override
            public void onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) {
            }

            @Override
            public void onPayload(ByteBuffer chunk) throws WebSocketException {
                throw new WebSocketException(1007, "not UTF-8");
            }

            @Override
            public void onFrameEnd() {
            }
        };
        ByteBuffer in = ByteBuffer.wrap(bytes(0x81, 0x02, 0xC3, 0x28, 0x81, 0x00));
        WebSocketException e = assertThrows(WebSocketException.class,
                () -> new FrameDecoder(false, 100, failing).decode(in));
        assertEquals(1007, e.closeCode());
        assertEquals(6, in.limit());
        assertEquals(6, in.position());
    }

    // Input buffer contract

    @Test
    void headerSplitAtEveryByteIsDecodedOnceComplete() throws WebSocketException {
        byte[] payload = new byte[70000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        byte[] wire = TestFrames.encode(true, 0, Opcode.BINARY, payload, true, 0x01020304);
        for (int i = 0; i < 13; i++) {
            server.decode(ByteBuffer.wrap(wire, i, 1));
            assertFalse(listener.insideFrame(), "header reported before its last byte");
        }
        server.decode(ByteBuffer.wrap(wire, 13, 1));
        assertTrue(listener.insideFrame(), "header reported as soon as its last byte arrived");
        server.decode(ByteBuffer.wrap(wire, 14, wire.length - 14));
        assertEquals(List.of(Frame.of(true, 0, Opcode.BINARY, payload)), listener.frames);
    }

    @Test
    void emptyPayloadEndsTheFrameWithoutAPayloadCall() throws WebSocketException {
        client.decode(ByteBuffer.wrap(bytes(0x81, 0x00, 0x8A, 0x00)));
        assertEquals(2, listener.frames.size());
        assertEquals(0, listener.payloadCalls);
    }

    @Test
    void consumesTheWholeBufferAndKeepsItsLimit() throws WebSocketException {
        ByteBuffer in = ByteBuffer.allocate(32);
        in.position(3);
        in.put(bytes(0x81, 0x03, 'a', 'b', 'c', 0x82, 0x05, 1, 2)); // second frame incomplete
        in.flip().position(3);
        client.decode(in);
        assertEquals(12, in.limit());
        assertEquals(12, in.position());
        client.decode(ByteBuffer.wrap(bytes(3, 4, 5)));
        assertEquals(List.of(Frame.of(true, 0, Opcode.TEXT, bytes('a', 'b', 'c')),
                Frame.of(true, 0, Opcode.BINARY, bytes(1, 2, 3, 4, 5))), listener.frames);
    }

    @Test
    void payloadChunksAreViewsOfTheInputUnmaskedInPlace() throws WebSocketException {
        byte[] payload = bytes('H', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!');
        byte[] wire = TestFrames.encode(true, 0, Opcode.TEXT, payload, true, 0x5a5a1234);
        byte[] backing = concat(new byte[5], wire);
        ByteBuffer in = ByteBuffer.wrap(backing, 5, wire.length).slice(); // non-zero arrayOffset
        List<String> checks = new ArrayList<>();
        FrameListener sameMemory = new FrameListener() {
            @Override
            public void onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) {
            }

            @Override
            public void onPayload(ByteBuffer chunk) {
                checks.add(chunk.array() == backing ? "shared" : "copied");
                checks.add(chunk.arrayOffset() + chunk.position() == 5 + 6 ? "at payload" : "elsewhere");
            }

            @Override
            public void onFrameEnd() {
            }
        };
        new FrameDecoder(true, 100, sameMemory).decode(in);
        assertEquals(List.of("shared", "at payload"), checks);
        assertArrayEquals(payload, Arrays.copyOfRange(backing, 5 + 6, backing.length),
                "payload unmasked in the caller's array");
    }

    @Test
    void directBufferInputIsUnmaskedInPlace() throws WebSocketException {
        byte[] payload = new byte[300];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        byte[] wire = TestFrames.encode(true, 0, Opcode.BINARY, payload, true, 0xCAFEBABE);
        ByteBuffer direct = ByteBuffer.allocateDirect(wire.length + 9);
        direct.position(9);
        direct.put(wire).flip().position(9);
        server.decode(direct.slice(9, 100));
        server.decode(direct.slice(109, wire.length - 100));
        assertEquals(List.of(Frame.of(true, 0, Opcode.BINARY, payload)), listener.frames);
        byte[] after = new byte[payload.length];
        direct.get(9 + 8, after);
        assertArrayEquals(payload, after);
    }

    // stop()

    @Test
    void stopInFrameEndIgnoresEverythingAfterTheCloseFrame() throws WebSocketException {
        FrameDecoder[] self = new FrameDecoder[1];
        RecordingListener stopping = new RecordingListener() {
            @Override
            public void onFrameEnd() {
                super.onFrameEnd();
                self[0].stop();
            }
        };
        self[0] = new FrameDecoder(false, 100, stopping);
        ByteBuffer in = ByteBuffer.wrap(bytes(0x88, 0x02, 0x03, 0xE8, 0xFF, 0xFF, 0x81, 0x00));
        self[0].decode(in);
        self[0].decode(ByteBuffer.wrap(bytes(0x83, 0x00)));
        assertEquals(List.of(Frame.of(true, 0, Opcode.CLOSE, bytes(0x03, 0xE8))), stopping.frames);
        assertEquals(in.limit(), in.position());
    }

    @Test
    void stopInFrameHeaderStillDeliversThatFramesPayload() throws WebSocketException {
        FrameDecoder[] self = new FrameDecoder[1];
        RecordingListener stopping = new RecordingListener() {
            @Override
            public void onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) {
                super.onFrameHeader(fin, rsv, opcode, payloadLength);
                self[0].stop();
            }
        };
        self[0] = new FrameDecoder(false, 100, stopping);
        self[0].decode(ByteBuffer.wrap(bytes(0x88, 0x02, 0x03)));
        self[0].decode(ByteBuffer.wrap(bytes(0xE9, 0x81, 0x00)));
        assertEquals(List.of(Frame.of(true, 0, Opcode.CLOSE, bytes(0x03, 0xE9))), stopping.frames);
    }

    @Test
    void stopBetweenFramesTakesEffectAtOnce() throws WebSocketException {
        client.decode(ByteBuffer.wrap(bytes(0x81, 0x00)));
        client.stop();
        client.decode(ByteBuffer.wrap(bytes(0x81, 0x00, 0xFF)));
        assertEquals(1, listener.frames.size());
    }

    private static WebSocketException assertFails(int code, FrameDecoder decoder, byte[] wire) {
        ByteBuffer in = ByteBuffer.wrap(wire);
        WebSocketException e = assertThrows(WebSocketException.class, () -> decoder.decode(in));
        assertEquals(code, e.closeCode(), e.getMessage());
        assertEquals(in.limit(), in.position());
        return e;
    }
}
