package io.duplex.core.engine;

import static io.duplex.core.engine.WireFrames.client;
import static io.duplex.core.engine.WireFrames.concat;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.core.engine.WireFrames.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Control frames (RFC 6455 §5.5) whose payload arrives in pieces, split across reads at any byte: each Ping
 * is answered with a Pong carrying exactly its payload (§5.5.2, §5.5.3) and the Close status survives the
 * split (§5.5.1), whether the payload came whole or in pieces, before or after frames that came the other way.
 */
class ControlFrameSplitTest {

    private static final int TEXT = 1;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    private static final byte[] BIG = WireFrames.bytes(125, 3);
    private static final byte[] SMALL = "ab".getBytes(UTF_8);

    /** Pings of 125, 0 and 2 bytes, a Pong, a text message between, and a Close. */
    private static final byte[] STREAM = concat(client(true, PING, BIG), client(true, PING, new byte[0]),
            client(true, TEXT, "t".getBytes(UTF_8)), client(true, PING, SMALL), client(true, PONG, BIG),
            client(true, PING, BIG), client(true, CLOSE, WireFrames.close(1000, "bye")));

    private static RecordingPeer run(int[] cuts) {
        RecordingPeer peer = new RecordingPeer();
        Session s = Session.server().handler(peer).outbound(peer).build();
        s.open();
        byte[] stream = STREAM.clone(); // the decoder unmasks in place
        int from = 0;
        for (int cut : cuts) {
            s.receive(ByteBuffer.wrap(stream, from, cut - from));
            from = cut;
        }
        s.receive(ByteBuffer.wrap(stream, from, stream.length - from));
        return peer;
    }

    private static void assertAnsweredInOrder(RecordingPeer peer) {
        List<Frame> out = peer.frames();
        List<Integer> opcodes = new ArrayList<>();
        for (Frame f : out) {
            opcodes.add(f.opcode());
        }
        assertEquals(List.of(PONG, PONG, PONG, PONG, CLOSE), opcodes, "one Pong per Ping, then the Close echo");
        assertArrayEquals(BIG, out.get(0).payload());
        assertArrayEquals(new byte[0], out.get(1).payload());
        assertArrayEquals(SMALL, out.get(2).payload());
        assertArrayEquals(BIG, out.get(3).payload());
        assertEquals(1000, out.get(4).closeCode());
        String big = UTF_8.decode(ByteBuffer.wrap(BIG)).toString();
        assertEquals(List.of("open", "ping:" + big, "ping:", "text:t", "ping:ab", "pong:" + big, "ping:" + big,
                "closeTransport", "close:1000:true"), withoutWrites(peer.events));
        assertEquals("bye", peer.closeStatus.reason());
    }

    private static List<String> withoutWrites(List<String> events) {
        List<String> out = new ArrayList<>();
        for (String e : events) {
            if (!e.startsWith("write")) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void wholeStreamInOneRead() {
        assertAnsweredInOrder(run(new int[0]));
    }

    @Test
    void everyByteInItsOwnRead() {
        int[] cuts = new int[STREAM.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertAnsweredInOrder(run(cuts));
    }

    @Test
    void splitAtEveryPosition() {
        for (int cut = 1; cut < STREAM.length; cut++) {
            assertAnsweredInOrder(run(new int[] {cut}));
        }
    }

    @Property(tries = 200)
    void splitAtAnyThreePositions(@ForAll @IntRange(min = 1, max = 400) int a, @ForAll @IntRange(min = 1, max = 400) int b,
            @ForAll @IntRange(min = 1, max = 400) int c) {
        int[] cuts = java.util.stream.IntStream.of(a, b, c).map(x -> 1 + x % (STREAM.length - 1)).sorted().distinct()
                .toArray();
        assertAnsweredInOrder(run(cuts));
    }
}
