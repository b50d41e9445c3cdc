package io.duplex.nio;

import io.duplex.nio.internal.loop.PassCork;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How a member's held room frames reach the socket. The room frames a member is given during one pass of its
 * loop are held by reference in the loop's {@link PassCork}; at the end of the pass, or as soon as anything
 * else is written to the member, they leave with as few gathering writes as the socket allows, and what the
 * socket refuses is queued in the member's {@link OutboundBuffer}.
 *
 * <p>It keeps no state: all a connection keeps for its held frames is its slot in the cork, in its
 * {@link OutboundBuffer}, so an idle connection pays nothing for them. The buffer decides when held frames
 * are written and keeps their accounting; this writes them. Loop thread only.
 */
final class HeldFrames {

    private HeldFrames() {
    }

    /**
     * Writes the frames held in {@code slot} of {@code cork} for {@code out}, in the order they were held,
     * queueing in {@code out} what the socket refuses (a small frame's rest copied, a large frame's payload by
     * reference).
     */
    static void write(PassCork cork, int slot, OutboundBuffer out) {
        ByteBuffer[] gather = cork.gatherArray();
        int frame = cork.first(slot);
        while (frame >= 0) {
            int from = frame;
            int n = 0;
            // The views are shared with the frame's other members: each write starts them from the beginning.
            while (frame >= 0 && n + 2 <= gather.length) {
                gather[n++] = cork.header(frame).rewind();
                ByteBuffer payload = cork.payload(frame);
                if (payload.limit() > 0) { // else the shared EMPTY: a frame held as one buffer
                    gather[n++] = payload.rewind();
                }
                frame = cork.next(frame);
            }
            boolean written;
            try {
                written = out.gatheringWrite(gather, n);
            } finally {
                Arrays.fill(gather, 0, n, null);
            }
            if (!written) {
                return;
            }
            cork.wrote();
            for (int f = from; f != frame; f = cork.next(f)) {
                if (cork.header(f).hasRemaining() || cork.payload(f).hasRemaining()) {
                    queue(cork, f, frame, out);
                    return;
                }
            }
        }
        out.waitForWireIfHolding();
    }

    /**
     * Queues in {@code out} the held frames from {@code frame} on, which the socket refused; those from
     * {@code unwritten} on were not offered.
     */
    private static void queue(PassCork cork, int frame, int unwritten, OutboundBuffer out) {
        boolean offered = true;
        for (int f = frame; f >= 0; f = cork.next(f)) {
            ByteBuffer header = cork.header(f);
            ByteBuffer payload = cork.payload(f);
            if (f == unwritten) {
                offered = false;
            }
            if (!offered) {
                header.rewind();
                if (payload.limit() > 0) {
                    payload.rewind();
                }
            }
            out.queueShared(header, payload, header.position() == 0);
        }
    }
}
