package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.nio.internal.loop.BufferPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Replacing a queued automatic Pong with a newer one ({@link WriteQueue#replacePong}) under any mix of data
 * frames, Pongs of varying sizes and partial writes: the peer receives whole frames, every data frame in
 * order, Pongs in the order of their Pings ending with the last one, and a queue fed only Pongs never holds
 * more than one waiting.
 */
class WriteQueuePongTest {

    private static final int DATA = 2;
    private static final int PONG = 0xA;

    /** A test frame: kind, 2-byte length, then the payload, whose first two bytes are the frame's number. */
    private static ByteBuffer[] frame(int kind, int number, int payloadLength) {
        ByteBuffer header = ByteBuffer.allocate(3).put((byte) kind).putShort((short) payloadLength).flip();
        ByteBuffer payload = ByteBuffer.allocate(payloadLength).putShort((short) number);
        while (payload.hasRemaining()) {
            payload.put((byte) number);
        }
        return new ByteBuffer[] {header, payload.flip()};
    }

    /** What the connection does with an automatic Pong. */
    private static void pong(WriteQueue queue, int number, int payloadLength) {
        ByteBuffer[] f = frame(PONG, number, payloadLength);
        if (!queue.replacePong(f[0], f[1])) {
            queue.startFrame();
            queue.startPong(f[0].remaining() + f[1].remaining());
            queue.append(f[0]);
            queue.append(f[1]);
        }
    }

    /**
     * @param ops each op: 0-299 a data frame of that payload size (at least 2), 300-339 a Pong of size
     *     op - 300 (at least 2), 340-499 a write of up to (op - 340) bytes
     */
    @Property(tries = 500)
    void pongsAreReplacedWithoutBreakingTheStream(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 499) Integer> ops) throws IOException {
        BufferPool pool = new BufferPool(64, 4);
        WriteQueue queue = new WriteQueue(pool);
        ThrottledWire wire = new ThrottledWire();
        ByteBuffer[] gather = new ByteBuffer[4];
        int dataSent = 0;
        int pongsSent = 0;
        for (int op : ops) {
            if (op < 300) {
                ByteBuffer[] f = frame(DATA, dataSent++, Math.max(2, op));
                queue.startFrame();
                queue.append(f[0]);
                queue.append(f[1]);
            } else if (op < 340) {
                pong(queue, pongsSent++, Math.max(2, op - 300));
            } else {
                wire.budget = op - 340;
                queue.flush(wire, null, gather);
            }
        }
        wire.budget = Long.MAX_VALUE;
        assertTrue(queue.flush(wire, null, gather));

        ByteBuffer out = ByteBuffer.wrap(wire.taken.toByteArray());
        int dataSeen = 0;
        int lastPong = -1;
        while (out.hasRemaining()) {
            assertTrue(out.remaining() >= 3, "a whole header");
            int kind = out.get();
            int length = out.getShort();
            assertTrue(out.remaining() >= length, "a whole payload");
            int number = out.getShort();
            for (int i = 2; i < length; i++) {
                assertEquals((byte) number, out.get(), "payload of frame " + number);
            }
            if (kind == DATA) {
                assertEquals(dataSeen++, number, "data frames in order, none lost");
            } else {
                assertEquals(PONG, kind);
                assertTrue(number > lastPong, "Pong " + number + " after Pong " + lastPong);
                lastPong = number;
            }
        }
        assertEquals(dataSent, dataSeen);
        assertEquals(pongsSent - 1, lastPong, "the last Ping's answer arrives");
        assertEquals(0, pool.outstanding(), "every chunk returned to the pool");
    }

    @Property(tries = 200)
    void aQueueFedOnlyPongsHoldsAtMostOneWaiting(
            @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 2, max = 125) Integer> sizes,
            @ForAll @IntRange(min = 0, max = 60) int budget) throws IOException {
        BufferPool pool = new BufferPool(64, 4);
        WriteQueue queue = new WriteQueue(pool);
        ThrottledWire wire = new ThrottledWire();
        int n = 0;
        for (int size : sizes) {
            pong(queue, n++, size);
            // At most the rest of one Pong partly written and one whole Pong waiting.
            assertTrue(queue.size() <= 2 * (3 + 125), queue.size() + " bytes queued");
            wire.budget = budget;
            queue.flush(wire, null, new ByteBuffer[4]);
        }
        wire.budget = Long.MAX_VALUE;
        assertTrue(queue.flush(wire, null, new ByteBuffer[4]));
        ByteBuffer out = ByteBuffer.wrap(wire.taken.toByteArray());
        int last = -1;
        while (out.hasRemaining()) {
            out.get();
            int length = out.getShort();
            last = out.getShort();
            out.position(out.position() + length - 2);
        }
        assertEquals(sizes.size() - 1, last, "the last Ping's answer arrives");
        assertEquals(0, pool.outstanding());
    }
}
