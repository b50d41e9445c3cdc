package io.duplex.core.internal.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocketException;
import io.duplex.testing.ThreadCounters;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: whatever bytes arrive, the decoder either decodes them or fails the connection with 1002
 * or 1009; it never throws anything unchecked, never leaves the caller's buffer half-consumed, and never
 * allocates because a frame declares a huge length.
 */
class FrameDecoderFuzzTest {

    @Provide
    Arbitrary<Long> maxFrameSizes() {
        return Arbitraries.of(0L, 125L, 1000L, 65536L, Long.MAX_VALUE);
    }

    @Property(tries = 500)
    void randomBytesOnlyEverFailWith1002Or1009(@ForAll @Size(max = 300) byte[] garbage, @ForAll boolean server,
            @ForAll("maxFrameSizes") long maxFrameSize, @ForAll @IntRange(max = 7) int allowedRsv,
            @ForAll @Size(max = 5) List<@IntRange(max = 300) Integer> cuts, @ForAll BufferKind kind) {
        feed(garbage, server, maxFrameSize, allowedRsv, cuts, kind);
    }

    @Property(tries = 500)
    void corruptedValidFramesOnlyEverFailWith1002Or1009(@ForAll @Size(max = 200) byte[] payload,
            @ForAll @IntRange(max = 2) int opcode, @ForAll boolean server, @ForAll int key,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 1000) Integer> flipAt, @ForAll byte flip,
            @ForAll("maxFrameSizes") long maxFrameSize, @ForAll @Size(max = 5) List<@IntRange(max = 300) Integer> cuts,
            @ForAll BufferKind kind) {
        byte[] wire = TestFrames.concat(TestFrames.encode(opcode == 0, 0, opcode == 0 ? Opcode.TEXT : opcode, payload, server, key),
                TestFrames.encode(true, 0, Opcode.PING, new byte[3], server, key));
        for (int at : flipAt) {
            wire[at % wire.length] ^= flip;
        }
        feed(wire, server, maxFrameSize, 0, cuts, kind);
    }

    private static void feed(byte[] wire, boolean server, long maxFrameSize, int allowedRsv, List<Integer> cuts,
            BufferKind kind) {
        FrameDecoder decoder = new FrameDecoder(server, maxFrameSize, allowedRsv, new RecordingListener());
        ByteBuffer in = kind.holding(wire, 2);
        try {
            for (int cut : cuts) {
                in.limit(2 + Math.max(in.position() - 2, Math.min(cut, wire.length)));
                decoder.decode(in);
                assertEquals(in.limit(), in.position());
            }
            in.limit(2 + wire.length);
            decoder.decode(in);
        } catch (WebSocketException e) {
            assertTrue(e.closeCode() == 1002 || e.closeCode() == 1009, "close code " + e.closeCode());
            assertTrue(e.getMessage() != null && e.getMessage().length() <= 123, "reason fits a Close frame");
        }
        assertEquals(in.limit(), in.position(), "the buffer is consumed, also on failure");
    }

    /** A listener that only counts, so the measurement sees the decoder's allocations alone. */
    private static final class CountingListener implements FrameListener {
        long headers;
        long bytes;

        @Override
        public void onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) {
            headers++;
        }

        @Override
        public void onPayload(ByteBuffer chunk) {
            bytes += chunk.remaining();
        }

        @Override
        public void onFrameEnd() {
        }
    }

    @Test
    void decodingAFrameDeclaringAHugeLengthAllocatesNothing() throws WebSocketException {
        CountingListener listener = new CountingListener();
        FrameDecoder decoder = new FrameDecoder(true, Long.MAX_VALUE, listener);
        // A masked binary frame declaring 2^62 bytes, then payload fed 4 KiB at a time from one buffer.
        ByteBuffer header = ByteBuffer.wrap(TestFrames.bytes(0x82, 0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4));
        ByteBuffer heap = ByteBuffer.allocate(4096);
        ByteBuffer direct = ByteBuffer.allocateDirect(4096);
        decoder.decode(header);
        for (int warmUp = 0; warmUp < 3_000; warmUp++) {
            decoder.decode(heap.clear());
            decoder.decode(direct.clear());
        }
        // The least of a few rounds: a JIT event (deoptimization re-creates scalar-replaced objects) may
        // allocate once, while anything the decoder allocated per call would show in every round.
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = ThreadCounters.allocatedBytes();
            for (int i = 0; i < 1_000; i++) {
                decoder.decode(heap.clear());
                decoder.decode(direct.clear());
            }
            allocated = Math.min(allocated, ThreadCounters.allocatedBytes() - before);
        }
        assertEquals(1, listener.headers);
        assertEquals((3_000L + 5_000L) * 2 * 4096, listener.bytes);
        assertTrue(allocated < 1024, "decoding 8 MiB allocated " + allocated + " bytes");
    }

    @Test
    void hugeDeclaredLengthOverTheLimitFailsBeforeAnyPayload() {
        CountingListener listener = new CountingListener();
        FrameDecoder decoder = new FrameDecoder(false, 16 << 20, listener);
        ByteBuffer in = ByteBuffer.wrap(TestFrames.bytes(0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 9, 9));
        WebSocketException e = assertThrows(WebSocketException.class, () -> decoder.decode(in));
        assertEquals(1009, e.closeCode());
        assertEquals(0, listener.headers + listener.bytes);
    }
}
