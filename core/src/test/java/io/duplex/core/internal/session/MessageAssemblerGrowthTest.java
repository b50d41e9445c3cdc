package io.duplex.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.BufferProvider;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketException;
import io.duplex.core.internal.frame.FrameDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The assembly buffer follows the bytes received, never the length a frame header declares: a peer that
 * announces a maximum-size frame and sends a few bytes costs the server a small buffer.
 */
class MessageAssemblerGrowthTest {

    private static final int MASK_KEY = 0x1badb002;
    /** The smallest pooled direct buffer: the first step of a binary message past the retained heap size. */
    private static final int FIRST_DIRECT_STEP = 64 * 1024;

    /** Collects delivered messages; nothing else is expected. */
    private static final class Collected implements MessageSink {
        final List<byte[]> messages = new ArrayList<>();

        @Override
        public void onText(String text) {
            messages.add(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void onBinary(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            messages.add(b);
        }

        @Override
        public void onTextFragment(String fragment, boolean last) {
            throw new AssertionError("not streaming");
        }

        @Override
        public void onBinaryFragment(ByteBuffer fragment, boolean last) {
            throw new AssertionError("not streaming");
        }

        @Override
        public void onPing(ByteBuffer payload) {
        }

        @Override
        public void onPong(ByteBuffer payload) {
        }

        @Override
        public void onClose(CloseStatus status) {
        }
    }

    /** A masked client frame header, its length in the shortest form RFC 6455 §5.2 allows. */
    private static byte[] header(boolean fin, int opcode, long length) {
        ByteBuffer b = ByteBuffer.allocate(14);
        b.put((byte) ((fin ? 0x80 : 0) | opcode));
        if (length < 126) {
            b.put((byte) (0x80 | length));
        } else if (length < 65536) {
            b.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            b.put((byte) (0x80 | 127)).putLong(length);
        }
        b.putInt(MASK_KEY);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** {@code payload[from, to)} masked as bytes {@code from..to} of a frame's payload. */
    private static byte[] masked(byte[] payload, int from, int to) {
        byte[] out = new byte[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = (byte) (payload[i] ^ (MASK_KEY >>> (24 - 8 * (i & 3))));
        }
        return out;
    }

    private static byte[] ascii(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    /** An assembler fed straight by a server's frame decoder, as a session without extensions has it. */
    private static MessageAssembler assembler(WebSocketConfig config, MessageSink sink) {
        BufferProvider buffers = BufferProvider.allocating();
        return new MessageAssembler(config, sink, buffers, new BufferHandoff(buffers));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2}) // text, binary
    void aDeclaredMaximumFrameWithSixteenBytesHoldsASmallBuffer(int opcode) throws WebSocketException {
        WebSocketConfig config = WebSocketConfig.defaults();
        MessageAssembler assembler = assembler(config, new Collected());
        FrameDecoder decoder = new FrameDecoder(true, config.maxFrameSize(), assembler);
        long declared = config.maxFrameSize();
        decoder.decode(ByteBuffer.wrap(header(true, opcode, declared)));
        decoder.decode(ByteBuffer.wrap(masked(ascii(16), 0, 16)));

        assertTrue(assembler.assemblyCapacity() <= 4096,
                "16 bytes of a " + declared + "-byte frame hold " + assembler.assemblyCapacity() + " bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void theBufferGrowsWithWhatArrivesAndTheMessageIsWhole(int opcode) throws WebSocketException {
        int size = 3 * 1024 * 1024 + 5;
        byte[] payload = ascii(size);
        Collected sink = new Collected();
        MessageAssembler assembler = assembler(WebSocketConfig.defaults(), sink);
        FrameDecoder decoder = new FrameDecoder(true, WebSocketConfig.defaults().maxFrameSize(), assembler);
        decoder.decode(ByteBuffer.wrap(header(true, opcode, size)));
        int received = 0;
        int read = 1000;
        while (received < size) {
            int n = Math.min(read, size - received);
            decoder.decode(ByteBuffer.wrap(masked(payload, received, received + n)));
            received += n;
            if (received < size) {
                int held = assembler.assemblyCapacity();
                assertTrue(held <= Math.max(FIRST_DIRECT_STEP, 2L * received),
                        received + " bytes received hold a " + held + "-byte buffer");
            }
            read = Math.min(read * 2, 256 * 1024);
        }
        assertEquals(1, sink.messages.size());
        assertArrayEquals(payload, sink.messages.get(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aContinuationDeclaringAHugeFrameHoldsWhatArrived(int opcode) throws WebSocketException {
        WebSocketConfig config = WebSocketConfig.defaults();
        MessageAssembler assembler = assembler(config, new Collected());
        FrameDecoder decoder = new FrameDecoder(true, config.maxFrameSize(), assembler);
        byte[] first = ascii(100);
        decoder.decode(ByteBuffer.wrap(header(false, opcode, first.length)));
        decoder.decode(ByteBuffer.wrap(masked(first, 0, first.length)));
        ByteArrayOutputStream next = new ByteArrayOutputStream();
        next.writeBytes(header(true, 0, config.maxMessageSize() - first.length));
        next.writeBytes(masked(ascii(16), 0, 16));
        decoder.decode(ByteBuffer.wrap(next.toByteArray()));

        assertTrue(assembler.assemblyCapacity() <= 4096,
                "116 bytes of a maximum-size message hold " + assembler.assemblyCapacity() + " bytes");
    }

    /**
     * A message in many small fragments grows its buffer by doubling, as a message in one frame does: a buffer
     * grown to just fit each fragment would copy the message so far once per fragment, quadratic work a peer
     * could ask for with 64-byte fragments.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aMessageInSmallFragmentsGrowsByDoublingAndStaysWithinTwiceWhatArrived(int opcode)
            throws WebSocketException {
        int size = 1024 * 1024;
        int fragment = 64;
        byte[] payload = ascii(size);
        Collected sink = new Collected();
        MessageAssembler assembler = assembler(WebSocketConfig.defaults(), sink);
        FrameDecoder decoder = new FrameDecoder(true, WebSocketConfig.defaults().maxFrameSize(), assembler);
        int growths = 0;
        int held = 0;
        for (int at = 0; at < size; at += fragment) {
            boolean last = at + fragment == size;
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.writeBytes(header(last, at == 0 ? opcode : 0, fragment));
            // Each fragment is masked from its own payload offset 0 (RFC 6455 §5.3): with fragments a multiple
            // of 4 bytes long, that is the message offset's mask byte.
            frame.writeBytes(masked(payload, at, at + fragment));
            decoder.decode(ByteBuffer.wrap(frame.toByteArray()));
            if (!last) {
                int now = assembler.assemblyCapacity();
                if (now != held) {
                    growths++;
                    held = now;
                }
                assertTrue(held <= Math.max(FIRST_DIRECT_STEP, 2L * (at + fragment)),
                        (at + fragment) + " bytes received hold a " + held + "-byte buffer");
            }
        }
        assertTrue(growths <= 12, "the buffer grew " + growths + " times for a 1 MiB message in 64-byte fragments");
        assertEquals(1, sink.messages.size());
        assertArrayEquals(payload, sink.messages.get(0));
    }
}
