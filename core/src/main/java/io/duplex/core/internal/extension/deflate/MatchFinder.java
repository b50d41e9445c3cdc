package io.duplex.core.internal.extension.deflate;

import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.MAX_MATCH;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.MIN_MATCH;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * LZ77 over a sliding buffer (RFC 1951 §4) whose back-references never reach further than the window the
 * peer agreed to (RFC 7692 §7.1.2): every distance is below 2^windowBits. Strings of three bytes are
 * found through hash chains: {@code head} holds the latest position of each hash, {@code prev} links a
 * position to the previous one with the same hash, indexed modulo the window so it needs only one entry
 * per window byte.
 *
 * <p>The chains hold <em>stream</em> positions (buffer index + {@code base}) truncated to 16 bits, so
 * sliding the buffer only moves bytes and never rewrites the tables. A chain entry is turned back into a
 * distance by 16-bit subtraction; entries older than 64 KiB may alias to a wrong position, which is
 * harmless: a candidate is only used after its bytes are compared, and only if its distance is inside the
 * window and after the {@code floor}. Walking stops when distances stop growing, so stale links cannot loop.
 */
final class MatchFinder {

    /** Lookahead that guarantees a maximal match plus the three bytes the next hash needs. */
    private static final int MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
    /** A three-byte match further away than this costs more bits than three literals. */
    private static final int TOO_FAR = 4096;
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
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
    /** Stream position of buffer index 0: grows by every slide (wrapping is harmless, only 16 bits count). */
    private int base;

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
        // A window of history plus room for a long lookahead; a slide then moves at least 762 bytes.
        this.bufferSize = windowSize + Math.max(windowSize, 1024);
        int hashBits = Math.min(15, windowBits + 1);
        this.hashShift = 32 - hashBits;
        this.effort = effort;
        this.buffer = new byte[bufferSize + SLACK];
        this.head = new char[1 << hashBits];
        this.prev = new char[windowSize];
    }

    long retainedBytes() {
        return buffer.length + 2L * (head.length + prev.length);
    }

    /**
     * Forgets the history: later matches start at the current position or after it. Also drops bytes taken
     * in but not yet parsed, which only a failed message leaves behind. O(1).
     */
    void reset() {
        fillEnd = strStart;
        floor = strStart;
        matchLength = MIN_MATCH - 1;
        matchAvailable = false;
    }

    /** The bytes a match at the current position may reach back to, oldest first (all input is parsed). */
    byte[] history() {
        int from = Math.max(floor, strStart - (windowSize - 1));
        return Arrays.copyOfRange(buffer, from, strStart);
    }

    /**
     * Starts over from {@code history}: the next message's matches may reach back into it, as if it had just
     * been parsed. Only the last window's worth of it is kept.
     */
    void prime(byte[] history) {
        reset();
        slide(strStart);
        int n = Math.min(history.length, windowSize - 1);
        System.arraycopy(history, history.length - n, buffer, 0, n);
        fillEnd = n;
        floor = 0;
        insertRange(0, n);
        strStart = n;
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
     * Parses the message into {@code block}. Returns true when all of the message is in symbols, false when
     * the block filled up first and must be written before calling again.
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
                int distance = insert(strStart);
                if (distance != 0) {
                    length = longestMatch(distance, MIN_MATCH - 1, lookahead, effort.maxChain());
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
            int distance = lookahead >= MIN_MATCH ? insert(strStart) : 0;
            int prevLength = matchLength;
            int prevStart = matchStart;
            matchLength = MIN_MATCH - 1;
            if (distance != 0 && prevLength < effort.lazyLimit()) {
                int chain = prevLength >= effort.goodLength() ? effort.maxChain() >> 2 : effort.maxChain();
                int length = longestMatch(distance, prevLength, lookahead, chain);
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

    /** The largest distance a match may have now: inside the window and not before the floor. */
    private int maxDistance() {
        return Math.min(windowSize - 1, strStart - floor);
    }

    /**
     * Follows the hash chain from the candidate {@code distance} back and returns the longest match found
     * that is longer than {@code bestLength} (or {@code bestLength}); its start is left in {@code matchStart}.
     */
    private int longestMatch(int distance, int bestLength, int lookahead, int chain) {
        int maxLength = Math.min(MAX_MATCH, lookahead);
        if (bestLength >= maxLength) {
            return bestLength;
        }
        byte[] window = buffer;
        int scan = strStart;
        int maxDistance = maxDistance();
        int position = strStart + base;
        int nice = Math.min(effort.niceLength(), maxLength);
        short scanEnd = (short) SHORT_LE.get(window, scan + bestLength - 1);
        short scanStart = (short) SHORT_LE.get(window, scan);
        do {
            int cur = scan - distance;
            // Cheap rejections first: a longer match must agree at the current best's end and at the start.
            if ((short) SHORT_LE.get(window, cur + bestLength - 1) == scanEnd
                    && (short) SHORT_LE.get(window, cur) == scanStart) {
                int length = commonLength(window, cur, scan, maxLength);
                if (length > bestLength) {
                    matchStart = cur;
                    bestLength = length;
                    if (length >= nice) {
                        break;
                    }
                    scanEnd = (short) SHORT_LE.get(window, scan + bestLength - 1);
                }
            }
            int next = (position - prev[(cur + base) & windowMask]) & 0xFFFF;
            if (next <= distance || next > maxDistance) {
                break;
            }
            distance = next;
        } while (--chain != 0);
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

    /**
     * Inserts the buffer position into its hash chain and returns the distance back to the previous position
     * with the same hash, or 0 if there is none usable (beyond the window or the floor).
     */
    private int insert(int index) {
        int h = ((int) INT_LE.get(buffer, index) & 0xFFFFFF) * 0x9E3779B1 >>> hashShift;
        int position = index + base;
        char previous = head[h];
        prev[position & windowMask] = previous;
        head[h] = (char) position;
        int distance = (position - previous) & 0xFFFF;
        return distance != 0 && distance <= Math.min(windowSize - 1, index - floor) ? distance : 0;
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

    /** Moves the buffer's bytes down by {@code shift}; stream positions, and so the chains, stay put. */
    private void slide(int shift) {
        System.arraycopy(buffer, shift, buffer, 0, fillEnd - shift);
        strStart -= shift;
        fillEnd -= shift;
        matchStart -= shift;
        floor = Math.max(0, floor - shift);
        base += shift;
    }
}
