package io.duplex.core.internal.extension.deflate;

import java.util.Arrays;

/**
 * A canonical Huffman code (RFC 1951 §3.2.2) over an alphabet, with its code lengths limited to a maximum
 * and always <em>complete</em> (the Kraft sum is exactly one), because zlib's inflater rejects incomplete
 * codes. Codes are stored bit-reversed, ready for DEFLATE's least-significant-bit-first packing.
 * Rebuilt for every block with no allocation.
 */
final class HuffmanCode {

    final byte[] lengths;
    final int[] codes;
    private final int maxLength;

    // scratch, sized once for the alphabet
    private final long[] sorted;
    private final int[] weight;
    private final int[] parent;
    private final int[] lengthCount;
    private final int[] nextCode;

    HuffmanCode(int alphabetSize, int maxLength) {
        this.lengths = new byte[alphabetSize];
        this.codes = new int[alphabetSize];
        this.maxLength = maxLength;
        this.sorted = new long[alphabetSize];
        this.weight = new int[2 * alphabetSize];
        this.parent = new int[2 * alphabetSize];
        this.lengthCount = new int[maxLength + 2];
        this.nextCode = new int[maxLength + 1];
    }

    /** A code with the given fixed lengths (the fixed codes of §3.2.6). */
    static HuffmanCode ofLengths(byte[] lengths, int maxLength) {
        HuffmanCode code = new HuffmanCode(lengths.length, maxLength);
        System.arraycopy(lengths, 0, code.lengths, 0, lengths.length);
        code.assignCodes(lengths.length);
        return code;
    }

    long retainedBytes() {
        return lengths.length + 4L * codes.length + 8L * sorted.length + 4L * (weight.length + parent.length);
    }

    /**
     * Builds the code for symbols {@code 0..n-1} with the given frequencies; unused symbols get length 0.
     * At least two symbols always get a code, so the code is complete even when fewer are used.
     */
    void build(int[] frequency, int n) {
        Arrays.fill(lengths, (byte) 0);
        int used = 0;
        for (int symbol = 0; symbol < n; symbol++) {
            if (frequency[symbol] != 0) {
                sorted[used++] = ((long) frequency[symbol] << 16) | symbol;
            }
        }
        if (used < 2) {
            // One 1-bit code would be incomplete; give a second (unused) symbol the other 1-bit code.
            int only = used == 1 ? (int) (sorted[0] & 0xFFFF) : 0;
            lengths[only] = 1;
            lengths[only == 0 ? 1 : 0] = 1;
            assignCodes(n);
            return;
        }
        heapSort(sorted, used);
        int overflow = huffmanDepths(used);
        if (overflow > 0) {
            limitLengths();
        }
        // The most frequent symbols (at the end of `sorted`) take the shortest lengths.
        int next = used - 1;
        for (int length = 1; length <= maxLength; length++) {
            for (int k = lengthCount[length]; k > 0; k--) {
                lengths[(int) (sorted[next--] & 0xFFFF)] = (byte) length;
            }
        }
        assignCodes(n);
    }

    /**
     * Builds the Huffman tree with two queues (leaves in ascending weight, then internal nodes, which are
     * created in ascending weight too), then counts leaves per depth into lengthCount, clamping depths
     * beyond maxLength. Returns how many leaves were clamped.
     */
    private int huffmanDepths(int used) {
        for (int i = 0; i < used; i++) {
            weight[i] = (int) (sorted[i] >>> 16);
        }
        int leaf = 0;
        int node = used;
        int created = used;
        for (int k = 0; k < used - 1; k++) {
            int a = (leaf < used && (node == created || weight[leaf] <= weight[node])) ? leaf++ : node++;
            int b = (leaf < used && (node == created || weight[leaf] <= weight[node])) ? leaf++ : node++;
            weight[created] = weight[a] + weight[b];
            parent[a] = created;
            parent[b] = created;
            created++;
        }
        // Reuse `weight` for depths: parents are always created after their children.
        int root = created - 1;
        weight[root] = 0;
        for (int i = root - 1; i >= 0; i--) {
            weight[i] = weight[parent[i]] + 1;
        }
        Arrays.fill(lengthCount, 0);
        int overflow = 0;
        for (int i = 0; i < used; i++) {
            int depth = weight[i];
            if (depth > maxLength) {
                depth = maxLength;
                overflow++;
            }
            lengthCount[depth]++;
        }
        return overflow;
    }

    /**
     * After clamping, the Kraft sum exceeds one. Each step turns a leaf at the deepest level below the
     * maximum into an internal node whose two children are that leaf and one leaf taken from the maximum
     * level: the sum (in units of 2^-maxLength) drops by exactly one, so the code ends exactly complete.
     */
    private void limitLengths() {
        long kraft = 0;
        for (int length = 1; length <= maxLength; length++) {
            kraft += (long) lengthCount[length] << (maxLength - length);
        }
        long complete = 1L << maxLength;
        while (kraft > complete) {
            int level = maxLength - 1;
            while (lengthCount[level] == 0) {
                level--;
            }
            lengthCount[level]--;
            lengthCount[level + 1] += 2;
            lengthCount[maxLength]--;
            kraft--;
        }
    }

    /** Canonical code assignment of §3.2.2, stored bit-reversed. */
    private void assignCodes(int n) {
        int[] count = lengthCount;
        Arrays.fill(count, 0);
        for (int symbol = 0; symbol < n; symbol++) {
            count[lengths[symbol]]++;
        }
        count[0] = 0;
        int code = 0;
        for (int length = 1; length <= maxLength; length++) {
            code = (code + count[length - 1]) << 1;
            nextCode[length] = code;
        }
        for (int symbol = 0; symbol < n; symbol++) {
            int length = lengths[symbol];
            codes[symbol] = length == 0 ? 0 : Integer.reverse(nextCode[length]++) >>> (32 - length);
        }
    }

    /** Bits needed to code the given frequencies with this code (without extra bits). */
    long cost(int[] frequency, int n) {
        long bits = 0;
        for (int symbol = 0; symbol < n; symbol++) {
            bits += (long) frequency[symbol] * lengths[symbol];
        }
        return bits;
    }
    /**
     * Sorts {@code a[0..n)} ascending in place. A heap sort rather than {@link Arrays#sort(long[], int, int)}:
     * the JDK's may allocate per call (its vectorised variant does on some processors), and a message is
     * compressed with no allocation at all; a block has at most 286 symbols, so O(n log n) in place is plenty.
     */
    private static void heapSort(long[] a, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(a, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            long top = a[0];
            a[0] = a[end];
            a[end] = top;
            siftDown(a, 0, end);
        }
    }

    private static void siftDown(long[] a, int i, int n) {
        long v = a[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && a[child + 1] > a[child]) {
                child++;
            }
            if (a[child] <= v) {
                break;
            }
            a[i] = a[child];
            i = child;
        }
        a[i] = v;
    }
}
