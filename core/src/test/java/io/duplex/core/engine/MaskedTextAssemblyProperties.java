package io.duplex.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.internal.frame.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A server assembles a masked text message that spans frames or reads by unmasking each chunk on its way into
 * the assembly buffer and validating it there. Whatever the fragmentation, the read boundaries and the buffer
 * kind, valid text arrives intact and a single invalid byte fails the connection with 1007 before any message
 * is delivered.
 */
class MaskedTextAssemblyProperties {

    /** One-, two-, three- and four-byte code points, so frame and read cuts land inside sequences. */
    private static final String[] PIECES = {"a", "Z", " ", "é", "ß", "€", "中", "😀", "𝄞"};

    private static byte[] text(int codePoints, Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Masked client frames carrying {@code payload} cut at random points into {@code frames} fragments. */
    private static byte[] fragments(byte[] payload, int frames, Random r) {
        int[] cuts = r.ints(frames - 1, 0, payload.length + 1).sorted().toArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i < frames; i++) {
            int to = i < cuts.length ? cuts[i] : payload.length;
            byte[] part = Arrays.copyOfRange(payload, from, to);
            out.writeBytes(WireFrames.frame(i == frames - 1, 0, i == 0 ? Opcode.TEXT : Opcode.CONTINUATION,
                    part, true));
            from = to;
        }
        return out.toByteArray();
    }

    private static RecordingPeer receive(byte[] wire, int reads, boolean direct, Random r) {
        RecordingPeer peer = new RecordingPeer();
        Session s = Session.server().handler(peer).outbound(peer).build();
        s.open();
        int[] cuts = r.ints(reads - 1, 1, Math.max(2, wire.length)).sorted().toArray();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? Math.min(cuts[i], wire.length) : wire.length;
            if (to <= from) {
                continue;
            }
            ByteBuffer in = direct ? ByteBuffer.allocateDirect(to - from) : ByteBuffer.allocate(to - from);
            in.put(wire, from, to - from).flip();
            s.receive(in);
            from = to;
        }
        return peer;
    }

    @Property(tries = 300)
    void validTextArrivesWhole(@ForAll @IntRange(min = 0, max = 3000) int codePoints,
            @ForAll @IntRange(min = 1, max = 6) int frames, @ForAll @IntRange(min = 1, max = 8) int reads,
            @ForAll boolean direct, @ForAll long seed) {
        Random r = new Random(seed);
        byte[] payload = text(codePoints, r);
        RecordingPeer peer = receive(fragments(payload, frames, r), reads, direct, r);
        assertEquals(List.of("open", "text:" + new String(payload, StandardCharsets.UTF_8)), peer.events);
    }

    @Property(tries = 300)
    void oneInvalidByteFailsWith1007(@ForAll @IntRange(min = 1, max = 3000) int codePoints,
            @ForAll @IntRange(min = 1, max = 6) int frames, @ForAll @IntRange(min = 1, max = 8) int reads,
            @ForAll boolean direct, @ForAll long seed) {
        Random r = new Random(seed);
        byte[] payload = text(codePoints, r);
        // 0xFF never occurs in UTF-8, wherever it lands.
        payload[r.nextInt(payload.length)] = (byte) 0xFF;
        RecordingPeer peer = receive(fragments(payload, frames, r), reads, direct, r);
        assertFalse(peer.events.stream().anyMatch(e -> e.startsWith("text:")), peer.events.toString());
        assertEquals(CloseStatus.INVALID_PAYLOAD_DATA, peer.closeStatus.code());
        assertTrue(peer.frames().stream().anyMatch(f -> f.opcode() == Opcode.CLOSE), "a Close frame was sent");
    }
}
