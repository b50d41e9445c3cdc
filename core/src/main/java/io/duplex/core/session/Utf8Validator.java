package io.duplex.core.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental UTF-8 validator for text messages (RFC 6455 §5.6, §8.1; RFC 3629 §4).
 *
 * <p>Input may be split at any byte across calls. A sequence is rejected at the first byte that makes it
 * impossible to be a prefix of well-formed UTF-8 (so {@code ED A0} fails at {@code A0}, {@code F4 90} at
 * {@code 90}, {@code C0} at once), which lets a receiver fail a connection with 1007 as early as RFC 6455
 * §8.1 asks, even before the fragment that would finish the code point arrives.
 *
 * <p>Runs of ASCII are skipped eight bytes at a time; everything else goes through a small deterministic
 * automaton derived from the RFC 3629 grammar. Calls allocate nothing. Not thread-safe: one per message
 * stream, {@link #reset()} between messages.
 */
public final class Utf8Validator {

    /*
     * Byte classes: the RFC 3629 grammar distinguishes bytes only by these ranges.
     *
     *   UTF8-2 = C2-DF tail
     *   UTF8-3 = E0 A0-BF tail / E1-EC tail tail / ED 80-9F tail / EE-EF tail tail
     *   UTF8-4 = F0 90-BF tail tail / F1-F3 tail tail tail / F4 80-8F tail tail
     *   tail   = 80-BF
     */
    private static final int ASCII = 0;        // 00-7F
    private static final int TAIL_80_8F = 1;
    private static final int TAIL_90_9F = 2;
    private static final int TAIL_A0_BF = 3;
    private static final int NEVER = 4;        // C0-C1 (only overlong), F5-FF (beyond U+10FFFF)
    private static final int LEAD_2 = 5;       // C2-DF
    private static final int LEAD_E0 = 6;      // needs A0-BF next, else overlong
    private static final int LEAD_3 = 7;       // E1-EC, EE-EF
    private static final int LEAD_ED = 8;      // needs 80-9F next, else a surrogate
    private static final int LEAD_F0 = 9;      // needs 90-BF next, else overlong
    private static final int LEAD_4 = 10;      // F1-F3
    private static final int LEAD_F4 = 11;     // needs 80-8F next, else beyond U+10FFFF
    private static final int CLASS_COUNT = 12;

    /*
     * States. Each names how far into a code point we are, so pendingBytes() reads straight from the state.
     * The stored state is premultiplied by CLASS_COUNT so a step is a single table load.
     */
    private static final int BOUNDARY = 0;           // between code points
    private static final int FAILED = 1;
    private static final int LAST_OF_2 = 2;          // seen a 2-byte lead; one tail to go
    private static final int SECOND_OF_3 = 3;        // seen E1-EC/EE-EF; two tails to go
    private static final int SECOND_AFTER_E0 = 4;
    private static final int SECOND_AFTER_ED = 5;
    private static final int LAST_OF_3 = 6;          // seen lead + 1 tail of a 3-byte sequence
    private static final int SECOND_OF_4 = 7;        // seen F1-F3; three tails to go
    private static final int SECOND_AFTER_F0 = 8;
    private static final int SECOND_AFTER_F4 = 9;
    private static final int THIRD_OF_4 = 10;        // seen lead + 1 tail of a 4-byte sequence
    private static final int LAST_OF_4 = 11;         // seen lead + 2 tails of a 4-byte sequence
    private static final int STATE_COUNT = 12;

    private static final byte[] CLASS_OF = new byte[256];
    private static final short[] NEXT = new short[STATE_COUNT * CLASS_COUNT];
    private static final byte[] PENDING = new byte[STATE_COUNT];

    static {
        classify(0x00, 0x7F, ASCII);
        classify(0x80, 0x8F, TAIL_80_8F);
        classify(0x90, 0x9F, TAIL_90_9F);
        classify(0xA0, 0xBF, TAIL_A0_BF);
        classify(0xC0, 0xC1, NEVER);
        classify(0xC2, 0xDF, LEAD_2);
        classify(0xE0, 0xE0, LEAD_E0);
        classify(0xE1, 0xEC, LEAD_3);
        classify(0xED, 0xED, LEAD_ED);
        classify(0xEE, 0xEF, LEAD_3);
        classify(0xF0, 0xF0, LEAD_F0);
        classify(0xF1, 0xF3, LEAD_4);
        classify(0xF4, 0xF4, LEAD_F4);
        classify(0xF5, 0xFF, NEVER);

        Arrays.fill(NEXT, (short) (FAILED * CLASS_COUNT));
        go(BOUNDARY, ASCII, BOUNDARY);
        go(BOUNDARY, LEAD_2, LAST_OF_2);
        go(BOUNDARY, LEAD_E0, SECOND_AFTER_E0);
        go(BOUNDARY, LEAD_3, SECOND_OF_3);
        go(BOUNDARY, LEAD_ED, SECOND_AFTER_ED);
        go(BOUNDARY, LEAD_F0, SECOND_AFTER_F0);
        go(BOUNDARY, LEAD_4, SECOND_OF_4);
        go(BOUNDARY, LEAD_F4, SECOND_AFTER_F4);
        anyTail(LAST_OF_2, BOUNDARY);
        anyTail(SECOND_OF_3, LAST_OF_3);
        go(SECOND_AFTER_E0, TAIL_A0_BF, LAST_OF_3);
        go(SECOND_AFTER_ED, TAIL_80_8F, LAST_OF_3);
        go(SECOND_AFTER_ED, TAIL_90_9F, LAST_OF_3);
        anyTail(LAST_OF_3, BOUNDARY);
        anyTail(SECOND_OF_4, THIRD_OF_4);
        go(SECOND_AFTER_F0, TAIL_90_9F, THIRD_OF_4);
        go(SECOND_AFTER_F0, TAIL_A0_BF, THIRD_OF_4);
        go(SECOND_AFTER_F4, TAIL_80_8F, THIRD_OF_4);
        anyTail(THIRD_OF_4, LAST_OF_4);
        anyTail(LAST_OF_4, BOUNDARY);

        PENDING[LAST_OF_2] = 1;
        PENDING[SECOND_OF_3] = 1;
        PENDING[SECOND_AFTER_E0] = 1;
        PENDING[SECOND_AFTER_ED] = 1;
        PENDING[LAST_OF_3] = 2;
        PENDING[SECOND_OF_4] = 1;
        PENDING[SECOND_AFTER_F0] = 1;
        PENDING[SECOND_AFTER_F4] = 1;
        PENDING[THIRD_OF_4] = 2;
        PENDING[LAST_OF_4] = 3;
    }

    private static void classify(int from, int to, int byteClass) {
        for (int b = from; b <= to; b++) {
            CLASS_OF[b] = (byte) byteClass;
        }
    }

    private static void go(int state, int byteClass, int next) {
        NEXT[state * CLASS_COUNT + byteClass] = (short) (next * CLASS_COUNT);
    }

    private static void anyTail(int state, int next) {
        go(state, TAIL_80_8F, next);
        go(state, TAIL_90_9F, next);
        go(state, TAIL_A0_BF, next);
    }

    private static final int AT_BOUNDARY = BOUNDARY * CLASS_COUNT;
    private static final int HAS_FAILED = FAILED * CLASS_COUNT;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Current state, premultiplied by {@link #CLASS_COUNT}. */
    private int state = AT_BOUNDARY;

    /** A validator at the start of a message. */
    public Utf8Validator() {
    }

    /**
     * Validates {@code buf[position..limit)} without moving its position, continuing from earlier calls.
     *
     * @return false at the first byte that can never be part of valid UTF-8; the validator then stays failed
     *     until {@link #reset()}
     */
    public boolean validate(ByteBuffer buf) {
        int from = buf.position();
        int to = buf.limit();
        if (buf.hasArray()) {
            int base = buf.arrayOffset();
            return validateArray(buf.array(), base + from, base + to);
        }
        return validateAbsolute(buf, from, to);
    }

    /**
     * Validates {@code a[off..off+len)}, continuing from earlier calls.
     *
     * @return false at the first byte that can never be part of valid UTF-8; the validator then stays failed
     *     until {@link #reset()}
     * @throws IndexOutOfBoundsException if the range lies outside {@code a}
     */
    public boolean validate(byte[] a, int off, int len) {
        Objects.checkFromIndexSize(off, len, a.length);
        return validateArray(a, off, off + len);
    }

    private boolean validateArray(byte[] a, int i, int end) {
        int s = state;
        while (i < end && s != HAS_FAILED) {
            if (s == AT_BOUNDARY) {
                while (i <= end - Long.BYTES && ((long) LONGS.get(a, i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                while (i < end && a[i] >= 0) {
                    i++;
                }
                if (i == end) {
                    break;
                }
            }
            s = NEXT[s + CLASS_OF[a[i] & 0xFF]];
            i++;
        }
        state = s;
        return s != HAS_FAILED;
    }

    /** The same walk as the array loop, for direct and read-only buffers, using absolute gets. */
    private boolean validateAbsolute(ByteBuffer buf, int i, int end) {
        int s = state;
        while (i < end && s != HAS_FAILED) {
            if (s == AT_BOUNDARY) {
                while (i <= end - Long.BYTES && (buf.getLong(i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                while (i < end && buf.get(i) >= 0) {
                    i++;
                }
                if (i == end) {
                    break;
                }
            }
            s = NEXT[s + CLASS_OF[buf.get(i) & 0xFF]];
            i++;
        }
        state = s;
        return s != HAS_FAILED;
    }

    /** Whether the bytes seen so far end on a code point boundary, so a message may end here. */
    public boolean isComplete() {
        return state == AT_BOUNDARY;
    }

    /**
     * How many trailing bytes seen so far belong to an unfinished code point (0 to 3), so a streamed text
     * fragment can be cut where each delivered string is whole. 0 after a failure.
     */
    public int pendingBytes() {
        return PENDING[state / CLASS_COUNT];
    }

    /** Forgets all input, ready for the next message. */
    public void reset() {
        state = AT_BOUNDARY;
    }
}
