package io.duplex.nio;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

/** One connection's memberships in a {@link Rooms}, by room name. Thread-safe (its own monitor). */
final class Memberships {

    private final HashMap<String, RoomMember> byRoom = new HashMap<>(4);
    /** The connection closed: no join may add to this set any more. */
    private volatile boolean closed;
    /** Emptied and removed from the rooms' map: a join must look the connection up again. */
    private boolean retired;

    /**
     * Adds {@code m} unless the connection is already in its room or at {@code max} rooms.
     *
     * @return false when this set is retired (look it up again)
     * @throws IllegalStateException if the connection closed, is in the room already, or is in {@code max}
     *     rooms
     */
    synchronized boolean reserve(RoomMember m, int max) {
        if (retired) {
            return false;
        }
        if (closed) {
            throw new IllegalStateException("connection closed");
        }
        if (byRoom.containsKey(m.room())) {
            throw new IllegalStateException("already a member of room " + m.room());
        }
        if (byRoom.size() >= max) {
            throw new IllegalStateException("room limit reached: a connection may be in at most " + max + " rooms");
        }
        byRoom.put(m.room(), m);
        return true;
    }

    /** Whether {@code m} is still this connection's membership of its room. */
    synchronized boolean holds(RoomMember m) {
        return byRoom.get(m.room()) == m;
    }

    synchronized RoomMember get(String room) {
        return byRoom.get(room);
    }

    /**
     * Removes and returns the membership of {@code room}, or null.
     *
     * @param expected remove only this membership; null for whichever there is
     */
    synchronized RoomMember remove(String room, RoomMember expected) {
        RoomMember m = byRoom.get(room);
        if (m == null || (expected != null && m != expected)) {
            return null;
        }
        byRoom.remove(room);
        return m;
    }

    /** Retires this set if it is empty, so the caller may drop it from the map. */
    synchronized boolean retireIfEmpty() {
        if (byRoom.isEmpty() && !retired) {
            retired = true;
            return true;
        }
        return false;
    }

    /** The connection closed: refuses joins from now on and returns every membership, now removed. */
    synchronized List<RoomMember> close() {
        closed = true;
        retired = true;
        List<RoomMember> all = new ArrayList<>(byRoom.values());
        byRoom.clear();
        return all;
    }

    boolean isClosed() {
        return closed;
    }

    synchronized Set<String> rooms() {
        return Set.copyOf(byRoom.keySet());
    }
}
