package io.duplex.redis;

import io.duplex.nio.PreparedMessage;
import io.duplex.nio.RoomSnapshot;
import io.duplex.nio.SequencedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One room's delivery on this node, touched only by the engine's thread: the last sequence number handed to
 * the local members, the messages that arrived ahead of a hole (bounded; the rest stay in Redis's history),
 * the joins that wait for the room's channel to be subscribed, the resumes that wait for this node to deliver
 * up to their resume point, and what was delivered while resumes read history.
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
    /** Resumes from a point this node has not delivered yet, waiting until it has; null when none. */
    private List<Behind> behind;
    /** Resumes reading history: while there are any, delivered messages are recorded for them. */
    private int resuming;
    /** The messages delivered since the oldest pending resume began (bounded); null when none is pending. */
    private List<SequencedMessage> recorded;

    RoomLine(String room) {
        this.room = room;
    }

    /** A resume from {@code since}, a number beyond {@link #delivered}, waits until this node delivered it. */
    void waitFor(long since, Consumer<RoomSnapshot> attached) {
        if (behind == null) {
            behind = new ArrayList<>(2);
        }
        behind.add(new Behind(since, attached));
    }

    /** Removes and returns the waiting resumes whose point this node has now delivered (or reported lost). */
    List<Behind> caughtUp() {
        if (behind == null) {
            return List.of();
        }
        List<Behind> ready = new ArrayList<>();
        behind.removeIf(b -> b.since() <= delivered && ready.add(b));
        if (behind.isEmpty()) {
            behind = null;
        }
        return ready;
    }

    /** A resume waiting for this node to deliver up to {@code since}. */
    record Behind(long since, Consumer<RoomSnapshot> attached) { }

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
