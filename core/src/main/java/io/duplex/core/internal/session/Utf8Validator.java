package io.duplex.core.internal.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
     * The automaton's states, from the RFC 3629 §4 grammar:
     *
     *   UTF8-2 = C2-DF tail
     *   UTF8-3 = E0 A0-BF tail / E1-EC tail tail / ED 80-9F tail / EE-EF tail tail
     *   UTF8-4 = F0 90-BF tail tail / F1-F3 tail tail tail / F4 80-8F tail tail
     *   tail   = 80-BF
     *
     * A state is stored as a bit offset (state number * 6) into a 64-bit row per input byte, whose 6-bit
     * field at that offset holds the next state's offset. A step is then one shift and one mask on a row
     * loaded independently of the state, which keeps the per-byte dependency chain short; a two-level table
     * walk would cost two dependent loads per byte. Nine states * 6 bits fit in a long.
     */
    private static final int FIELD_BITS = 6;
    private static final int FIELD_MASK = (1 << FIELD_BITS) - 1;

    private static final int FAILED = 0;          // absorbing; every row's field 0 stays 0
    private static final int BOUNDARY = 1;        // between code points
    private static final int TAILS_1 = 2;         // any one tail to go
    private static final int TAILS_2 = 3;         // any two tails to go
    private static final int TAILS_3 = 4;         // any three tails to go
    private static final int AFTER_E0 = 5;        // A0-BF, then one tail: below that would be overlong
    private static final int AFTER_ED = 6;        // 80-9F, then one tail: above that is a surrogate
    private static final int AFTER_F0 = 7;        // 90-BF, then two tails: below that would be overlong
    private static final int AFTER_F4 = 8;        // 80-8F, then two tails: above that is past U+10FFFF

    /** For each byte value, its transitions from every state. */
    private static final long[] ROW = new long[256];

    static {
        on(0x00, 0x7F, BOUNDARY, BOUNDARY);
        on(0xC2, 0xDF, BOUNDARY, TAILS_1);
        on(0xE0, 0xE0, BOUNDARY, AFTER_E0);
        on(0xE1, 0xEC, BOUNDARY, TAILS_2);
        on(0xED, 0xED, BOUNDARY, AFTER_ED);
        on(0xEE, 0xEF, BOUNDARY, TAILS_2);
        on(0xF0, 0xF0, BOUNDARY, AFTER_F0);
        on(0xF1, 0xF3, BOUNDARY, TAILS_3);
        on(0xF4, 0xF4, BOUNDARY, AFTER_F4);
        // C0, C1 and F5-FF have no transition: they occur only in overlongs or past U+10FFFF.

        on(0x80, 0xBF, TAILS_1, BOUNDARY);
        on(0x80, 0xBF, TAILS_2, TAILS_1);
        on(0x80, 0xBF, TAILS_3, TAILS_2);
        on(0xA0, 0xBF, AFTER_E0, TAILS_1);
        on(0x80, 0x9F, AFTER_ED, TAILS_1);
        on(0x90, 0xBF, AFTER_F0, TAILS_2);
        on(0x80, 0x8F, AFTER_F4, TAILS_2);
    }

    private static void on(int fromByte, int toByte, int state, int next) {
        for (int b = fromByte; b <= toByte; b++) {
            ROW[b] |= (long) (next * FIELD_BITS) << (state * FIELD_BITS);
        }
    }

    private static final int AT_BOUNDARY = BOUNDARY * FIELD_BITS;
    private static final int HAS_FAILED = FAILED * FIELD_BITS;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Current state as a bit offset into {@link #ROW} entries. */
    private int state = AT_BOUNDARY;
    /** Bytes of the unfinished code point seen so far; the state alone does not say how many. */
    private int pending;

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

    private boolean validateArray(byte[] a, int from, int end) {
        int s = state;
        int i = from;
        while (i < end && s != HAS_FAILED) {
            byte b = a[i++];
            if (b >= 0 && s == AT_BOUNDARY) {
                while (i <= end - Long.BYTES && ((long) LONGS.get(a, i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
            } else {
                s = (int) (ROW[b & 0xFF] >>> s) & FIELD_MASK;
            }
        }
        state = s;
        if (s != AT_BOUNDARY && s != HAS_FAILED) {
            int lead = end - 1;
            while (lead >= from && (a[lead] & 0xC0) == 0x80) {
                lead--;
            }
            pending = lead >= from ? end - lead : pending + (end - from);
        }
        return s != HAS_FAILED;
    }

    /** The same walk as the array loop, for direct and read-only buffers, using absolute gets. */
    private boolean validateAbsolute(ByteBuffer buf, int from, int end) {
        int s = state;
        int i = from;
        while (i < end && s != HAS_FAILED) {
            byte b = buf.get(i++);
            if (b >= 0 && s == AT_BOUNDARY) {
                while (i <= end - Long.BYTES && (buf.getLong(i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
            } else {
                s = (int) (ROW[b & 0xFF] >>> s) & FIELD_MASK;
            }
        }
        state = s;
        if (s != AT_BOUNDARY && s != HAS_FAILED) {
            int lead = end - 1;
            while (lead >= from && (buf.get(lead) & 0xC0) == 0x80) {
                lead--;
            }
            pending = lead >= from ? end - lead : pending + (end - from);
        }
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
        return state == AT_BOUNDARY || state == HAS_FAILED ? 0 : pending;
    }

    /** Forgets all input, ready for the next message. */
    public void reset() {
        state = AT_BOUNDARY;
        pending = 0;
    }
}
