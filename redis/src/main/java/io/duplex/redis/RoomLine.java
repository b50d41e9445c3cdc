package io.duplex.redis;

import io.duplex.nio.PreparedMessage;
import io.duplex.nio.SequencedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One room's delivery on this node, touched only by the engine's thread: the last sequence number handed to
 * the local members, the messages that arrived ahead of a hole (bounded; the rest stay in Redis's history),
 * the joins that wait for the room's channel to be subscribed, and what was delivered while resumes read
 * history.
 */
final class RoomLine {

    final String room;
    /** Local attaches not yet detached. */
    int attached;
    /** Subscribed and the baseline read: messages flow to the members. */
    boolean live;
    /** A subscribe and baseline read is in flight. */
    boolean syncing;
    /**
     * The last subscribe and baseline read failed: Redis's counter may be below {@link #delivered} until a
     * retry succeeds.
     */
    boolean stale;
    /** The wait before the next retry of a failed baseline, in ms; 0 after a success. */
    long retryMillis;
    /** A history read for a hole is in flight: deliveries wait for it. */
    boolean filling;
    /** The last sequence number delivered (or reported as a gap) on this node. */
    long delivered;
    /** The highest sequence number seen on the channel, kept or not. */
    long highest;
    /** Messages after a hole, by sequence number. */
    final TreeMap<Long, PreparedMessage> ahead = new TreeMap<>();
    /** Joins waiting for {@link #live}. */
    final List<Runnable> waiting = new ArrayList<>(2);
    /** Resumes reading history: while there are any, delivered messages are recorded for them. */
    private int resuming;
    /** The messages delivered since the oldest pending resume began (bounded); null when none is pending. */
    private List<SequencedMessage> recorded;

    RoomLine(String room) {
        this.room = room;
    }

    /** A resume starts reading history: record what is delivered until it is done. */
    void startRecording() {
        if (resuming++ == 0) {
            recorded = new ArrayList<>();
        }
    }

    /** A resume's read is done: what was delivered since the oldest pending one began (maybe incomplete). */
    List<SequencedMessage> stopRecording() {
        List<SequencedMessage> out = recorded;
        if (--resuming == 0) {
            recorded = null;
        } else {
            out = List.copyOf(out);
        }
        return out;
    }

    /** Records a delivered message for the pending resumes, up to {@code max} of them. */
    void record(long seq, PreparedMessage m, int max) {
        if (recorded != null && recorded.size() < max) {
            recorded.add(new SequencedMessage(seq, m));
        }
    }
}
