package io.duplex.nio;

import io.duplex.core.WebSocket;

/**
 * One connection's membership in one room of a {@link Rooms}: the connection, the label the application gave
 * it when joining (a nickname, a user object), and how many messages it was skipped for. A membership that
 * ended (left, or its connection closed) is never reused: joining again makes a new one.
 */
public final class RoomMember {

    private final String room;
    private final NioWebSocket socket;
    private final Object label;
    /** The {@link Rooms} this membership belongs to: a connection's memberships of several share one field. */
    final Rooms owner;
    /** Its index among its loop's members in {@link LocalRoom}, so leaving is O(1); -1 when not there. */
    int slot = -1;
    /** Set once, under the room's lock: no message of the room is written to it any more. */
    private volatile boolean gone;
    /** Messages skipped because the member was too far behind. Written under the room's lock. */
    private volatile long skipped;
    /**
     * The missed sequence numbers not yet reported through onGap ({from, to}), or null when none: allocated
     * only for a member that missed something, since most never do. Under the room's lock.
     */
    private long[] gap;

    RoomMember(String room, NioWebSocket socket, Object label, Rooms owner) {
        this.room = room;
        this.socket = socket;
        this.label = label;
        this.owner = owner;
    }

    /** The room's name. */
    public String room() {
        return room;
    }

    /** The member's connection. */
    public WebSocket socket() {
        return socket;
    }

    /** The member's connection {@linkplain WebSocket#id() id}. */
    public long connectionId() {
        return socket.id();
    }

    /** The label given to {@link Rooms#join}, or {@code null}. */
    @SuppressWarnings("unchecked")
    public <T> T label() {
        return (T) label;
    }

    /** How many of the room's messages this member did not get because it was too far behind. */
    public long skipped() {
        return skipped;
    }

    /** Whether this membership still holds: not left, connection not closed, not closed for being slow. */
    public boolean isActive() {
        return !gone;
    }

    @Override
    public String toString() {
        return "RoomMember[" + room + ", connection " + socket.id() + (label == null ? "" : ", " + label) + "]";
    }

    // ---- for Rooms, under the room's lock ------------------------------------------------------------

    NioWebSocket ws() {
        return socket;
    }

    void end() {
        gone = true;
    }

    /** Counts a skipped message ({@code seq} 0 for an announcement, which leaves no gap). */
    void skip(long seq) {
        skipped++;
        if (seq > 0) {
            missed(seq, seq);
        }
    }

    /** Messages {@code from} to {@code to} will not come (lost by the engine): a gap, but not a skip. */
    void missed(long from, long to) {
        if (gap == null) {
            gap = new long[] {from, to};
        } else {
            gap[1] = Math.max(gap[1], to);
        }
    }

    /** Whether a gap waits to be reported. */
    boolean hasGap() {
        return gap != null;
    }

    long gapFrom() {
        return gap[0];
    }

    long gapTo() {
        return gap[1];
    }

    void gapReported() {
        gap = null;
    }
}
