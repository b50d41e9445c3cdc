package io.duplex.core.extension.deflate;

import static io.duplex.core.extension.deflate.DeflateAlphabet.MAX_MATCH;
import static io.duplex.core.extension.deflate.DeflateAlphabet.MIN_MATCH;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * LZ77 over a sliding buffer (RFC 1951 §4) whose back-references never reach further than the window the
 * peer agreed to (RFC 7692 §7.1.2): every distance is below 2^windowBits. Strings of three bytes are
 * found through hash chains: {@code head} holds the latest position of each hash, {@code prev} links a
 * position to the previous one with the same hash, indexed modulo the window so it needs only one entry
 * per window byte. Sliding moves positions down by any amount, not a multiple of the window, so the
 * {@code prev} slot of a position is taken modulo the window after adding {@code slotOffset}, the sum of
 * all shifts: a position keeps its slot when it moves.
 *
 * <p>Positions are 16-bit ({@code char}); position 0 is never a valid match (it is either unused or a
 * window away from the current position), so 0 doubles as "no entry".
 */
final class MatchFinder {

    /** Lookahead that guarantees a maximal match plus the three bytes the next hash needs. */
    private static final int MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
    /** A three-byte match further away than this costs more bits than three literals. */
    private static final int TOO_FAR = 4096;
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Bytes past the buffer's end so eight-byte reads at any position in it stay in the array. */
    private static final int SLACK = 8;

    private final int windowSize;
    private final int windowMask;
    private final int bufferSize;
    private final int hashShift;
    private final SearchEffort effort;

    private final byte[] buffer;
    private final char[] head;
    private final char[] prev;

    private int strStart;
    private int fillEnd;
    /** Earliest position a match may start at: set by reset() so forgotten history is never referenced. */
    private int floor;
    private int slotOffset;

    private ByteBuffer src;
    private int srcNext;
    private int srcEnd;

    // lazy matching state
    private int matchLength = MIN_MATCH - 1;
    private int matchStart;
    private boolean matchAvailable;

    MatchFinder(int windowBits, SearchEffort effort) {
        this.windowSize = 1 << windowBits;
        this.windowMask = windowSize - 1;
        // At least a window of history plus room for a long lookahead; at most 65536 so positions fit a char.
        this.bufferSize = windowSize + Math.max(windowSize, 1024);
        int hashBits = Math.min(15, windowBits + 1);
        this.hashShift = 32 - hashBits;
        this.effort = effort;
        this.buffer = new byte[bufferSize + SLACK];
        this.head = new char[1 << hashBits];
        this.prev = new char[windowSize];
        this.strStart = 1;
        this.fillEnd = 1;
        this.floor = 1;
    }

    long retainedBytes() {
        return buffer.length + 2L * (head.length + prev.length);
    }

    /** Forgets the history: later matches start at the current position or after it. O(1). */
    void reset() {
        floor = strStart;
        matchLength = MIN_MATCH - 1;
        matchAvailable = false;
    }

    void beginMessage(ByteBuffer message, int from, int to) {
        this.src = message;
        this.srcNext = from;
        this.srcEnd = to;
    }

    void endMessage() {
        this.src = null;
    }

    /**
     * Parses the message into {@code block}. Returns true when the whole message is in the buffer, false
     * when the buffer filled up first and must be written before calling again.
     */
    boolean parse(SymbolBuffer block) {
        return effort.lazy() ? parseLazy(block) : parseGreedy(block);
    }

    /** Takes the longest match at each position (levels 1-3). */
    private boolean parseGreedy(SymbolBuffer block) {
        byte[] window = buffer;
        for (;;) {
            if (fillEnd - strStart < MIN_LOOKAHEAD) {
                fill();
                if (fillEnd == strStart) {
                    return true;
                }
            }
            int lookahead = fillEnd - strStart;
            int length = 0;
            if (lookahead >= MIN_MATCH) {
                int candidate = insert(strStart);
                if (candidate > limit()) {
                    length = longestMatch(candidate, MIN_MATCH - 1, lookahead, effort.maxChain());
                }
            }
            boolean full;
            if (length >= MIN_MATCH) {
                full = block.match(length, strStart - matchStart);
                if (length <= effort.lazyLimit()) {
                    insertRange(strStart + 1, strStart + length);
                }
                strStart += length;
            } else {
                full = block.literal(window[strStart] & 0xFF);
                strStart++;
            }
            if (full) {
                return false;
            }
        }
    }

    /**
     * Defers each match by one position and keeps it only if the next position does not start a longer one
     * (levels 4-9).
     */
    private boolean parseLazy(SymbolBuffer block) {
        byte[] window = buffer;
        for (;;) {
            if (fillEnd - strStart < MIN_LOOKAHEAD) {
                fill();
                if (fillEnd == strStart) {
                    if (matchAvailable) {
                        matchAvailable = false;
                        return !block.literal(window[strStart - 1] & 0xFF);
                    }
                    return true;
                }
            }
            int lookahead = fillEnd - strStart;
            int candidate = lookahead >= MIN_MATCH ? insert(strStart) : 0;
            int prevLength = matchLength;
            int prevStart = matchStart;
            matchLength = MIN_MATCH - 1;
            if (candidate > limit() && prevLength < effort.lazyLimit()) {
                int chain = prevLength >= effort.goodLength() ? effort.maxChain() >> 2 : effort.maxChain();
                int length = longestMatch(candidate, prevLength, lookahead, chain);
                if (length == MIN_MATCH && strStart - matchStart > TOO_FAR) {
                    length = MIN_MATCH - 1;
                }
                matchLength = length;
            }
            if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
                boolean full = block.match(prevLength, strStart - 1 - prevStart);
                int end = strStart - 1 + prevLength;
                insertRange(strStart + 1, end);
                strStart = end;
                matchAvailable = false;
                matchLength = MIN_MATCH - 1;
                if (full) {
                    return false;
                }
            } else if (matchAvailable) {
                boolean full = block.literal(window[strStart - 1] & 0xFF);
                strStart++;
                if (full) {
                    return false;
                }
            } else {
                matchAvailable = true;
                strStart++;
            }
        }
    }

    /** Matches must start after this position: no further back than the window, nor before the floor. */
    private int limit() {
        return Math.max(strStart - windowSize, floor - 1);
    }

    /**
     * Follows the hash chain from {@code candidate} and returns the longest match found that is longer than
     * {@code bestLength} (or {@code bestLength}); its start is left in {@code matchStart}.
     */
    private int longestMatch(int candidate, int bestLength, int lookahead, int chain) {
        int maxLength = Math.min(MAX_MATCH, lookahead);
        if (bestLength >= maxLength) {
            return bestLength;
        }
        byte[] window = buffer;
        int scan = strStart;
        int limit = limit();
        int nice = Math.min(effort.niceLength(), maxLength);
        byte scanEnd = window[scan + bestLength];
        byte scanEndPrev = window[scan + bestLength - 1];
        byte first = window[scan];
        byte second = window[scan + 1];
        int cur = candidate;
        do {
            // Cheap rejections first: a longer match must agree at the current best's end and at the start.
            if (window[cur + bestLength] == scanEnd && window[cur + bestLength - 1] == scanEndPrev
                    && window[cur] == first && window[cur + 1] == second) {
                int length = commonLength(window, cur, scan, maxLength);
                if (length > bestLength) {
                    matchStart = cur;
                    bestLength = length;
                    if (length >= nice) {
                        break;
                    }
                    scanEnd = window[scan + bestLength];
                    scanEndPrev = window[scan + bestLength - 1];
                }
            }
            cur = prev[(cur + slotOffset) & windowMask];
        } while (cur > limit && --chain != 0);
        return bestLength;
    }

    /**
     * Length of the common prefix of the strings at {@code a} and {@code b}, at most {@code max}, compared
     * eight bytes at a time. Bytes past the data read here are only ever cut off by {@code max}.
     */
    private static int commonLength(byte[] window, int a, int b, int max) {
        for (int length = 0; length < max; length += 8) {
            long difference = (long) LONG_LE.get(window, a + length) ^ (long) LONG_LE.get(window, b + length);
            if (difference != 0) {
                return Math.min(max, length + (Long.numberOfTrailingZeros(difference) >>> 3));
            }
        }
        return max;
    }

    /** Inserts the position into its hash chain and returns the previous head (0 if none). */
    private int insert(int position) {
        int h = ((int) INT_LE.get(buffer, position) & 0xFFFFFF) * 0x9E3779B1 >>> hashShift;
        char previous = head[h];
        prev[(position + slotOffset) & windowMask] = previous;
        head[h] = (char) position;
        return previous;
    }

    /** Inserts positions in [from, to) that have three bytes of data. */
    private void insertRange(int from, int to) {
        int end = Math.min(to, fillEnd - MIN_MATCH + 1);
        for (int p = from; p < end; p++) {
            insert(p);
        }
    }

    /** Copies more of the message into the buffer, first sliding out history older than the window. */
    private void fill() {
        if (srcNext == srcEnd) {
            return;
        }
        if (fillEnd == bufferSize) {
            slide(strStart - windowSize);
        }
        int n = Math.min(bufferSize - fillEnd, srcEnd - srcNext);
        src.get(srcNext, buffer, fillEnd, n);
        srcNext += n;
        fillEnd += n;
    }

    /** Moves everything down by {@code shift} bytes; chain entries that fall off become "no entry". */
    private void slide(int shift) {
        System.arraycopy(buffer, shift, buffer, 0, fillEnd - shift);
        rebase(head, shift);
        rebase(prev, shift);
        strStart -= shift;
        fillEnd -= shift;
        matchStart -= shift;
        floor = Math.max(1, floor - shift);
        slotOffset = (slotOffset + shift) & windowMask;
    }

    private static void rebase(char[] table, int shift) {
        for (int i = 0; i < table.length; i++) {
            int p = table[i];
            table[i] = (char) Math.max(p - shift, 0);
        }
    }
}
