package io.duplex.core.internal.extension.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.ExtensionOffer;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.deflate.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 7692 §7.1.2.1: a server asked for {@code server_max_window_bits=n} sends messages whose back-references
 * stay within 2^n bytes, across messages too (context takeover) and never into earlier messages without it
 * (§7.1.1.1). The frame payloads are checked by the independent {@link DeflateChecker} and inflated by the
 * JDK's {@link Inflater}; input comes in heap, direct and offset buffers, whole and in parts.
 */
class PerMessageDeflateWindowTest {

    /** Growing heap output, kept whole, as the session's encode output is. */
    private static final class Output implements ExtensionOutput {
        ByteBuffer buffer = ByteBuffer.allocate(16);

        @Override
        public ByteBuffer buffer(int wanted) {
            if (buffer.remaining() < Math.max(wanted, 1)) {
                ByteBuffer grown = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + wanted));
                buffer = grown.put(buffer.flip());
            }
            return buffer;
        }

        byte[] take() {
            byte[] a = Arrays.copyOf(buffer.array(), buffer.position());
            buffer.clear();
            return a;
        }
    }

    private static ByteBuffer wrap(byte[] data, String kind) {
        return switch (kind) {
            case "direct" -> ByteBuffer.allocateDirect(data.length).put(data).flip();
            case "offset" -> {
                byte[] padded = new byte[data.length + 9];
                System.arraycopy(data, 0, padded, 7, data.length);
                yield ByteBuffer.wrap(padded, 5, data.length + 2).slice().position(2);
            }
            default -> ByteBuffer.wrap(data);
        };
    }

    @ParameterizedTest(name = "bits {0}, no context {1}, {2}, parts {3}")
    @CsvSource({
        "9, false, heap, 1", "9, true, heap, 1", "9, false, direct, 3", "9, true, offset, 2",
        "8, false, offset, 1", "12, false, direct, 1", "12, true, heap, 4", "15, false, direct, 2",
        "15, true, offset, 1",
    })
    void sentMessagesStayInsideTheAgreedWindow(int bits, boolean noContext, String kind, int parts) throws Exception {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("server_max_window_bits", Integer.toString(bits));
        if (noContext) {
            params.put("server_no_context_takeover", null);
        }
        PerMessageDeflateExtension server = (PerMessageDeflateExtension) PerMessageDeflate.builder().threshold(0)
                .build().accept(List.of(ExtensionOffer.of("permessage-deflate", params)));
        assertEquals(bits, server.sendWindowBits());
        assertEquals(noContext, server.sendNoContextTakeover());

        DeflateChecker checker = new DeflateChecker();
        Inflater inflater = new Inflater(true);
        Output out = new Output();
        int window = 1 << bits;
        for (long seed = 0; seed < 4; seed++) {
            byte[] message = seed % 2 == 0 ? Corpus.text(20_000, seed) : Corpus.repetitive(5_000);
            ByteBuffer in = wrap(message, kind);
            int step = message.length / parts + 1;
            ByteBuffer payload = ByteBuffer.allocate(message.length * 2 + 64);
            for (int p = 0; p < parts; p++) {
                int from = Math.min(message.length, p * step);
                int to = p == parts - 1 ? message.length : Math.min(message.length, from + step);
                ByteBuffer part = in.duplicate();
                part.position(in.position() + from).limit(in.position() + to);
                server.encode(part, p == parts - 1, out);
                assertEquals(part.limit(), part.position(), "the part is consumed");
                payload.put(out.take());
            }
            byte[] stream = Arrays.copyOf(payload.array(), payload.position() + 4);
            stream[stream.length - 2] = (byte) 0xFF;
            stream[stream.length - 1] = (byte) 0xFF;

            DeflateChecker.Message m = checker.decodeMessage(stream);
            assertArrayEquals(message, m.output(), "the checker's decoding");
            assertTrue(m.maxDistance() <= window, "distance " + m.maxDistance() + " beyond " + window);
            if (noContext) {
                assertTrue(m.maxReachIntoHistory() <= 0, "referenced an earlier message");
            }
            if (noContext) {
                inflater.reset();
            }
            assertArrayEquals(message, PerMessage.inflate(inflater, stream), "the JDK's decoding");
        }
        assertTrue(checker.allCodesComplete);
        server.release();
        assertEquals(0, server.heapBytesHeld());
        assertEquals(false, server.holdsSendCodec());
        inflater.end();
    }
}
