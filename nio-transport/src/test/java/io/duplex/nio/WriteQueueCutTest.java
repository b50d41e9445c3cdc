package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.nio.internal.loop.BufferPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Cutting a write queue back to its last frame boundary after an outbound overflow. */
class WriteQueueCutTest {

    /**
     * Frames of the given sizes are queued whole, a prefix of the stream is written, the queue is cut and a
     * marker frame appended: the peer must receive exactly the frames begun before the cut, then the marker.
     */
    @Property(tries = 200)
    void cutKeepsStartedFramesWholeAndDropsTheRest(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 300) Integer> sizes,
            @ForAll @IntRange(min = 0, max = 4000) int written) throws IOException {
        BufferPool pool = new BufferPool(64, 4);
        WriteQueue queue = new WriteQueue(pool);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            byte[] frame = new byte[sizes.get(i)];
            java.util.Arrays.fill(frame, (byte) i);
            queue.startFrame();
            queue.append(ByteBuffer.wrap(frame));
            CompletableFuture<Void> f = new CompletableFuture<>();
            queue.completeWhenFlushed(f);
            futures.add(f);
            stream.writeBytes(frame);
            ends.add(stream.size());
        }
        ThrottledWire wire = new ThrottledWire();
        wire.budget = Math.min(written, stream.size());
        queue.flush(wire, null, new ByteBuffer[4]);
        int flushed = (int) Math.min(written, stream.size());
        assertEquals(flushed, wire.taken.size());

        RuntimeException cause = new RuntimeException("overflow");
        long dropped = queue.cutUnstarted(cause);

        // The cut lands on the end of the frame in progress (the first frame end at or after what was written).
        int keep = 0;
        while (keep < flushed) {
            keep = ends.get(ends.indexOf(keep) + 1);
        }
        assertEquals(stream.size() - keep, dropped);
        assertEquals(keep - flushed, queue.size());
        for (int i = 0; i < ends.size(); i++) {
            boolean kept = ends.get(i) <= keep;
            assertEquals(!kept, futures.get(i).isCompletedExceptionally(), "frame " + i);
        }

        queue.startFrame();
        queue.append(ByteBuffer.wrap(new byte[] {(byte) 0x88, 0}));
        wire.budget = Long.MAX_VALUE;
        assertTrue(queue.flush(wire, null, new ByteBuffer[4]));
        byte[] expected = new byte[keep + 2];
        System.arraycopy(stream.toByteArray(), 0, expected, 0, keep);
        expected[keep] = (byte) 0x88;
        assertArrayEquals(expected, wire.taken.toByteArray());
        for (int i = 0; i < ends.size(); i++) {
            assertFalse(ends.get(i) <= keep && !futures.get(i).isDone(), "kept frame " + i + " completed");
        }
        assertEquals(0, pool.outstanding(), "every chunk returned to the pool");
    }
}
