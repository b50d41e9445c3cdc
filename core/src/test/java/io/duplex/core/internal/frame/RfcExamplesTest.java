package io.duplex.core.internal.frame;

import static io.duplex.core.internal.frame.TestFrames.bytes;
import static io.duplex.core.internal.frame.TestFrames.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.core.WebSocketException;
import io.duplex.core.internal.frame.RecordingListener.Frame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples of RFC 6455 §5.7, byte for byte as the RFC prints them, through the encoder (header plus
 * masked payload) and through the decoder of the receiving side.
 */
class RfcExamplesTest {

    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY = 0x37fa213d;

    /** What a server sends and a client decodes. */
    private static final byte[] UNMASKED_TEXT = bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    /** What a client sends and a server decodes. */
    private static final byte[] MASKED_TEXT = bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
    private static final byte[] FRAGMENT_1 = bytes(0x01, 0x03, 0x48, 0x65, 0x6c);
    private static final byte[] FRAGMENT_2 = bytes(0x80, 0x02, 0x6c, 0x6f);
    private static final byte[] UNMASKED_PING = bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    private static final byte[] MASKED_PONG = bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
    private static final byte[] BINARY_256_HEADER = bytes(0x82, 0x7E, 0x01, 0x00);
    private static final byte[] BINARY_64K_HEADER = bytes(0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00);

    @Test
    void singleFrameUnmaskedText() throws WebSocketException {
        assertArrayEquals(UNMASKED_TEXT, TestFrames.encode(true, 0, Opcode.TEXT, HELLO, false, 0));
        assertEquals(List.of(Frame.of(true, 0, Opcode.TEXT, HELLO)), decode(false, UNMASKED_TEXT));
    }

    @Test
    void singleFrameMaskedText() throws WebSocketException {
        assertArrayEquals(MASKED_TEXT, TestFrames.encode(true, 0, Opcode.TEXT, HELLO, true, KEY));
        assertEquals(List.of(Frame.of(true, 0, Opcode.TEXT, HELLO)), decode(true, MASKED_TEXT));
    }

    @Test
    void fragmentedUnmaskedText() throws WebSocketException {
        byte[] hel = "Hel".getBytes(StandardCharsets.US_ASCII);
        byte[] lo = "lo".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(FRAGMENT_1, TestFrames.encode(false, 0, Opcode.TEXT, hel, false, 0));
        assertArrayEquals(FRAGMENT_2, TestFrames.encode(true, 0, Opcode.CONTINUATION, lo, false, 0));
        assertEquals(List.of(Frame.of(false, 0, Opcode.TEXT, hel), Frame.of(true, 0, Opcode.CONTINUATION, lo)),
                decode(false, concat(FRAGMENT_1, FRAGMENT_2)));
    }

    @Test
    void unmaskedPingAndMaskedPong() throws WebSocketException {
        assertArrayEquals(UNMASKED_PING, TestFrames.encode(true, 0, Opcode.PING, HELLO, false, 0));
        assertArrayEquals(MASKED_PONG, TestFrames.encode(true, 0, Opcode.PONG, HELLO, true, KEY));
        assertEquals(List.of(Frame.of(true, 0, Opcode.PING, HELLO)), decode(false, UNMASKED_PING));
        assertEquals(List.of(Frame.of(true, 0, Opcode.PONG, HELLO)), decode(true, MASKED_PONG));
    }

    @Test
    void binary256BytesUses16BitLength() throws WebSocketException {
        assertUnmaskedBinaryExample(256, BINARY_256_HEADER);
    }

    @Test
    void binary64KiBUses64BitLength() throws WebSocketException {
        assertUnmaskedBinaryExample(65536, BINARY_64K_HEADER);
    }

    private static void assertUnmaskedBinaryExample(int length, byte[] rfcHeader) throws WebSocketException {
        ByteBuffer header = ByteBuffer.allocate(14);
        FrameEncoder.encodeHeader(header, true, 0, Opcode.BINARY, length, false, 0);
        assertArrayEquals(rfcHeader, Arrays.copyOf(header.array(), header.position()));
        assertEquals(rfcHeader.length, FrameEncoder.headerLength(length, false));
        byte[] payload = pattern(length);
        assertEquals(List.of(Frame.of(true, 0, Opcode.BINARY, payload)), decode(false, concat(rfcHeader, payload)));
    }

    @Test
    void headerIsInNetworkOrderWhateverTheBufferOrder() {
        ByteBuffer header = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        FrameEncoder.encodeHeader(header, true, 0, Opcode.BINARY, 65536, true, KEY);
        assertArrayEquals(concat(bytes(0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0), bytes(0x37, 0xfa, 0x21, 0x3d)),
                Arrays.copyOf(header.array(), header.position()));
    }

    private static byte[] pattern(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (i * 31 + 7);
        }
        return out;
    }

    private static List<Frame> decode(boolean server, byte[] wire) throws WebSocketException {
        RecordingListener listener = new RecordingListener();
        new FrameDecoder(server, Long.MAX_VALUE, listener).decode(ByteBuffer.wrap(wire.clone()));
        return listener.frames;
    }
}
