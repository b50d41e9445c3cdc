package io.duplex.nio;

/**
 * Where, in a {@link WriteQueue}'s stream, each queued frame that has not begun to reach the socket begins:
 * the points the queue may be cut back to without leaving the peer half a frame. A ring of longs, so recording
 * a frame allocates nothing once the ring has grown to the queue's usual depth. Loop thread only.
 */
final class FrameStarts {

    private long[] marks = new long[16];
    private int head;
    private int size;

    /** Records a frame beginning at {@code mark}, which is not before any mark recorded earlier. */
    void add(long mark) {
        if (size == marks.length) {
            long[] grown = new long[marks.length * 2];
            int firstPart = marks.length - head;
            System.arraycopy(marks, head, grown, 0, firstPart);
            System.arraycopy(marks, 0, grown, firstPart, head);
            marks = grown;
            head = 0;
        }
        marks[(head + size) & (marks.length - 1)] = mark;
        size++;
    }

    /** Forgets the frames that began before {@code flushed}: they have started to reach the socket. */
    void started(long flushed) {
        while (size > 0 && marks[head] < flushed) {
            head = (head + 1) & (marks.length - 1);
            size--;
        }
    }

    /** The first frame start not before {@code flushed}, or -1 when every queued byte belongs to a started frame. */
    long firstUnstarted(long flushed) {
        started(flushed);
        return size == 0 ? -1 : marks[head];
    }

    void clear() {
        head = 0;
        size = 0;
    }

}
