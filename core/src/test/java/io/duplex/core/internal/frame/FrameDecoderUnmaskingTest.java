package io.duplex.core.internal.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.core.WebSocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * RFC 6455 §5.3 on the receiving side: a server unmasks a client's payload in place wherever the input is
 * cut, in every buffer shape. The wire bytes are built by hand from §5.2 and masked by the byte-at-a-time
 * reference, so the decoder's masking is not checked against itself.
 */
class FrameDecoderUnmaskingTest {

    @Property(tries = 150)
    void unmasksWhereverTheInputIsCut(@ForAll @IntRange(max = 3000) int length, @ForAll long seed, @ForAll int key,
            @ForAll @Size(max = 8) List<@IntRange(max = 1_000_000) Integer> cutSeeds, @ForAll BufferKind kind,
            @ForAll @IntRange(max = 9) int lead) throws WebSocketException {
        byte[] payload = new byte[length];
        new Random(seed).nextBytes(payload);
        byte[] wire = TestFrames.concat(header(length, key), MaskingTest.reference(payload, key, 0));

        TreeSet<Integer> cuts = new TreeSet<>();
        for (int cut : cutSeeds) {
            cuts.add(cut % (wire.length + 1));
        }
        cuts.add(wire.length);
        RecordingListener listener = new RecordingListener();
        FrameDecoder decoder = new FrameDecoder(true, 1 << 20, listener);
        ByteBuffer in = kind.holding(wire, lead);
        for (int cut : cuts) {
            in.limit(lead + cut);
            decoder.decode(in);
        }
        assertEquals(1, listener.frames.size());
        assertArrayEquals(payload, BufferKind.remaining(listener.frames.get(0).payload()), "cuts " + cuts);
    }

    /** A final binary frame's masked header, laid out as the §5.2 diagram draws it. */
    private static byte[] header(int length, int key) {
        byte[] keyBytes = TestFrames.bytes(key >>> 24, key >>> 16 & 0xFF, key >>> 8 & 0xFF, key & 0xFF);
        if (length <= 125) {
            return TestFrames.concat(TestFrames.bytes(0x82, 0x80 | length), keyBytes);
        }
        return TestFrames.concat(TestFrames.bytes(0x82, 0x80 | 126, length >>> 8, length & 0xFF), keyBytes);
    }
}
