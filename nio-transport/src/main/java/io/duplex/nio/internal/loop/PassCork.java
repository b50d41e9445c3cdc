package io.duplex.nio.internal.loop;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames the connections of one loop hold back until the end of the loop's current pass, so that a connection
 * that is given several frames in one pass (several room publishes run as tasks of the same pass) writes them
 * with one gathering write instead of one system call each. The frames are kept by reference, never copied:
 * the same frame may be held for many connections.
 *
 * <p>A connection that holds frames is a {@link Holder}, known here by the slot {@link #open} gave it for this
 * pass. At the pass's end the loop calls every holder, in the order they opened, and forgets every frame.
 * A holder may write its frames earlier (before anything else it writes, to keep its order); it then ignores
 * the call for its old slot.
 *
 * <p>At most {@link #MAX_FRAMES} frames are held at a time: when that many are, the holder about to hold one
 * more first has everything written ({@link #writeAll}). That bounds the memory, and a pass that gives
 * thousands of members a frame each writes them in batches, while their connections' state is still in the
 * processor's caches, instead of going over all of them again at its end. Loop thread only.
 */
public final class PassCork {

    private static final Logger LOG = LoggerFactory.getLogger(PassCork.class);
    private static final int INITIAL = 64;
    /** Frames held at most; enough for a burst of publishes to each of hundreds of members. */
    public static final int MAX_FRAMES = 1024;
    /** Buffers per gathering write; far below the kernel's {@code IOV_MAX} of 1024. */
    private static final int GATHER_LIMIT = 64;

    /** A connection holding frames back until the end of the pass. */
    public interface Holder {
        /**
         * The pass ended: write the frames held in {@code slot}, unless they were written already (the holder
         * then holds another slot, or none).
         */
        void passEnded(int slot);
    }

    // Per held frame: its header and payload (an empty payload for a frame held as one buffer), and the
    // index of the same slot's next frame, or -1.
    private ByteBuffer[] headers = new ByteBuffer[INITIAL];
    private ByteBuffer[] payloads = new ByteBuffer[INITIAL];
    private int[] next = new int[INITIAL];
    private int frames;
    // Per slot: its holder, its first and last frame, and the bytes of its frames.
    private Holder[] holders = new Holder[INITIAL];
    private int[] first = new int[INITIAL];
    private int[] last = new int[INITIAL];
    private long[] bytes = new long[INITIAL];
    private int slots;
    private final ByteBuffer[] gather = new ByteBuffer[GATHER_LIMIT];
    /** Frames ever held, and gathering writes made of them: how well holding coalesces. Loop thread. */
    private long framesHeld;
    private long writes;

    PassCork() {
    }

    /** Opens a slot for {@code holder}, which is called with it at the end of this pass. */
    private int open(Holder holder) {
        if (slots == holders.length) {
            int n = slots * 2;
            holders = Arrays.copyOf(holders, n);
            first = Arrays.copyOf(first, n);
            last = Arrays.copyOf(last, n);
            bytes = Arrays.copyOf(bytes, n);
        }
        int s = slots++;
        holders[s] = holder;
        first[s] = -1;
        last[s] = -1;
        bytes[s] = 0;
        return s;
    }

    /**
     * Holds the frame of {@code header} and {@code payload} (views at position 0, which this keeps and
     * {@link #header}/{@link #payload} hand back) for {@code holder}, after the frames already held in its
     * {@code held} slot. When {@link #MAX_FRAMES} are held, every holder first writes what it holds
     * ({@link #writeAll}), {@code holder} included, so its frames keep their order.
     *
     * @param held the slot {@code holder} holds frames in, or -1 when it holds none
     * @return the slot the frame is held in: {@code held}, or a new one for {@code holder}
     */
    public int hold(Holder holder, int held, ByteBuffer header, ByteBuffer payload) {
        int slot = held;
        if (frames == MAX_FRAMES) {
            writeAll(); // the holder's slot too: it holds none now
            slot = -1;
        }
        if (slot < 0) {
            slot = open(holder);
        }
        if (frames == headers.length) {
            int n = frames * 2;
            headers = Arrays.copyOf(headers, n);
            payloads = Arrays.copyOf(payloads, n);
            next = Arrays.copyOf(next, n);
        }
        int f = frames++;
        headers[f] = header;
        payloads[f] = payload;
        next[f] = -1;
        if (last[slot] < 0) {
            first[slot] = f;
        } else {
            next[last[slot]] = f;
        }
        last[slot] = f;
        bytes[slot] += header.limit() + payload.limit();
        framesHeld++;
        return slot;
    }

    /** The first frame held in {@code slot}, or -1. */
    public int first(int slot) {
        return first[slot];
    }

    /** The frame held after {@code frame} in the same slot, or -1. */
    public int next(int frame) {
        return next[frame];
    }

    /** The header of {@code frame} (or the whole frame, held as one buffer). */
    public ByteBuffer header(int frame) {
        return headers[frame];
    }

    /** The payload of {@code frame}; empty when the frame is held as one buffer. */
    public ByteBuffer payload(int frame) {
        return payloads[frame];
    }

    /** The bytes of the frames held in {@code slot}. */
    public long bytes(int slot) {
        return bytes[slot];
    }

    /** A scratch array for the gathering writes of held frames; clear what you set. */
    public ByteBuffer[] gatherArray() {
        return gather;
    }

    /** A gathering write of held frames was made. */
    public void wrote() {
        writes++;
    }

    /** Frames ever held. Loop thread. */
    public long framesHeld() {
        return framesHeld;
    }

    /** Gathering writes ever made of held frames. Loop thread. */
    public long writes() {
        return writes;
    }

    /**
     * Every holder writes what it holds, in the order they opened; then all is forgotten. The loop calls it at
     * the end of each pass; {@link #hold}, when {@link #MAX_FRAMES} are held.
     */
    public void writeAll() {
        if (slots == 0) {
            return;
        }
        // A holder's write runs no application code, but the count is read again each time all the same.
        for (int s = 0; s < slots; s++) {
            Holder h = holders[s];
            holders[s] = null;
            try {
                h.passEnded(s);
            } catch (Throwable t) {
                LOG.error("writing held frames failed", t);
            }
        }
        Arrays.fill(headers, 0, frames, null);
        Arrays.fill(payloads, 0, frames, null);
        frames = 0;
        slots = 0;
    }
}
