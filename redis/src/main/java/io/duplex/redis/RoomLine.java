package io.duplex.redis;

import io.duplex.nio.PreparedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One room's delivery on this node, touched only by the engine's thread: the last sequence number handed to
 * the local members, the messages that arrived ahead of a hole (bounded; the rest stay in Redis's history),
 * and the joins that wait for the room's channel to be subscribed.
 */
final class RoomLine {

    final String room;
    /** Local attaches not yet detached. */
    int attached;
    /** Subscribed and the baseline read: messages flow to the members. */
    boolean live;
    /** A subscribe and baseline read is in flight. */
    boolean syncing;
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

    RoomLine(String room) {
        this.room = room;
    }
}
