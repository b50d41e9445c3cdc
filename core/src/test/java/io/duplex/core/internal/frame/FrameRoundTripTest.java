package io.duplex.core.internal.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.duplex.core.WebSocketException;
import io.duplex.core.internal.frame.RecordingListener.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Encoder → decoder round trips of random frame sequences that are valid in order (§5.4: continuations
 * only inside a message, control frames anywhere), of payloads 0..70000 bytes including the length-encoding
 * boundaries 125/126, 65535/65536, masked (client to server) and unmasked, cut at random offsets, at every
 * offset, and one byte at a time: the listener must see the same frames and bytes whatever the cuts. Also
 * checks the header encoder against a reference written from the §5.2 diagram.
 */
class FrameRoundTripTest {

    private static final int[] CONTROL = {Opcode.CLOSE, Opcode.PING, Opcode.PONG};

    /** One generated frame before it is fitted into a valid sequence. */
    record Draft(boolean control, int pick, boolean fin, int rsv, int size, long seed, int key) {
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 300)),
                Tuple.of(3, Arbitraries.of(0, 1, 125, 126, 127, 65535, 65536)),
                Tuple.of(1, Arbitraries.integers().between(0, 70000)));
    }

    @Provide
    Arbitrary<List<Draft>> drafts() {
        Arbitrary<Draft> draft = Combinators.combine(Arbitraries.integers().between(0, 3).map(n -> n == 0),
                Arbitraries.integers().between(0, 5), Arbitraries.of(true, false), Arbitraries.integers().between(0, 7),
                sizes(), Arbitraries.longs(), Arbitraries.integers()).as(Draft::new);
        return draft.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 40)
    void decodesTheSameFramesWhereverTheInputIsCut(@ForAll("drafts") List<Draft> drafts, @ForAll boolean masked,
            @ForAll @IntRange(max = 7) int allowedRsv, @ForAll BufferKind kind,
            @ForAll @Size(max = 8) List<@IntRange(max = 1_000_000) Integer> cutSeeds) throws WebSocketException {
        List<Frame> expected = new ArrayList<>();
        byte[] wire = encodeValidSequence(drafts, masked, allowedRsv, expected);

        TreeSet<Integer> randomCuts = new TreeSet<>();
        for (int seed : cutSeeds) {
            randomCuts.add(seed % (wire.length + 1));
        }
        randomCuts.add(wire.length);
        int[] cuts = randomCuts.stream().mapToInt(Integer::intValue).toArray();
        assertEquals(expected, decode(wire, masked, allowedRsv, kind, cuts), "random cuts " + randomCuts);

        if (wire.length <= 400_000) {
            assertEquals(expected, decode(wire, masked, allowedRsv, kind, IntStream.rangeClosed(1, wire.length).toArray()),
                    "one byte at a time");
        }
        if (wire.length <= 1500) {
            for (int cut = 0; cut <= wire.length; cut++) {
                assertEquals(expected, decode(wire, masked, allowedRsv, kind, new int[] {cut, wire.length}),
                        "cut at " + cut);
            }
        }
    }

    @Property(tries = 300)
    void headerMatchesTheRfcLayout(@ForAll boolean fin, @ForAll @IntRange(max = 7) int rsv,
            @ForAll @IntRange(max = 2) int dataOpcode, @ForAll("lengths") long length, @ForAll boolean mask,
            @ForAll int key, @ForAll BufferKind kind) {
        ByteBuffer dst = kind.empty(FrameEncoder.MAX_HEADER_LENGTH, 3);
        FrameEncoder.encodeHeader(dst, fin, rsv, dataOpcode, length, mask, key);
        byte[] expected = referenceHeader(fin, rsv, dataOpcode, length, mask, key);
        assertEquals(3 + expected.length, dst.position());
        assertEquals(expected.length, FrameEncoder.headerLength(length, mask));
        dst.flip().position(3);
        assertArrayEquals(expected, BufferKind.remaining(dst));
    }

    @Provide
    Arbitrary<Long> lengths() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(0, 70_000), Arbitraries.of(0L, 125L, 126L, 65535L, 65536L, Long.MAX_VALUE));
    }

    /** §5.2 read literally: byte 0 FIN|RSV|opcode, byte 1 MASK|len7, then 0, 2 or 8 length bytes, then the key. */
    private static byte[] referenceHeader(boolean fin, int rsv, int opcode, long length, boolean mask, int key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 128 : 0) + rsv * 16 + opcode);
        int maskBit = mask ? 128 : 0;
        int lengthBytes;
        if (length < 126) {
            out.write(maskBit + (int) length);
            lengthBytes = 0;
        } else if (length < 65536) {
            out.write(maskBit + 126);
            lengthBytes = 2;
        } else {
            out.write(maskBit + 127);
            lengthBytes = 8;
        }
        for (int i = lengthBytes - 1; i >= 0; i--) {
            out.write((int) (length / pow256(i) % 256));
        }
        if (mask) {
            for (int i = 3; i >= 0; i--) {
                out.write((int) ((key & 0xFFFF_FFFFL) / pow256(i) % 256));
            }
        }
        return out.toByteArray();
    }

    private static long pow256(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 256;
        }
        return p;
    }

    /** Turns drafts into a sequence §5.4 allows, writes it, and records the frames the decoder should report. */
    private static byte[] encodeValidSequence(List<Draft> drafts, boolean masked, int allowedRsv, List<Frame> expected) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        boolean inMessage = false;
        for (Draft d : drafts) {
            int opcode;
            boolean fin;
            int size;
            if (d.control()) {
                opcode = CONTROL[d.pick() % CONTROL.length];
                fin = true;
                size = Math.min(d.size(), 125);
            } else {
                opcode = inMessage ? Opcode.CONTINUATION : (d.pick() % 2 == 0 ? Opcode.TEXT : Opcode.BINARY);
                fin = d.fin();
                size = d.size();
                inMessage = !fin;
            }
            byte[] payload = new byte[size];
            new Random(d.seed()).nextBytes(payload);
            int rsv = d.rsv() & allowedRsv;
            wire.writeBytes(TestFrames.encode(fin, rsv, opcode, payload, masked, d.key()));
            expected.add(Frame.of(fin, rsv, opcode, payload));
        }
        return wire.toByteArray();
    }

    /** Feeds one buffer holding the wire bytes to a decoder, its limit moved to each (ascending) cut in turn. */
    private static List<Frame> decode(byte[] wire, boolean masked, int allowedRsv, BufferKind kind, int[] cuts)
            throws WebSocketException {
        RecordingListener listener = new RecordingListener();
        FrameDecoder decoder = new FrameDecoder(masked, 1 << 20, allowedRsv, listener);
        int lead = 5;
        ByteBuffer in = kind.holding(wire, lead);
        for (int cut : cuts) {
            in.limit(lead + cut);
            decoder.decode(in);
            assertEquals(lead + cut, in.position(), "decode consumed everything up to the limit");
            assertEquals(lead + cut, in.limit(), "decode kept the limit");
        }
        assertFalse(listener.insideFrame(), "no frame left open");
        return listener.frames;
    }
}
