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
    /** Set once, under the room's lock: no message of the room is written to it any more. */
    private volatile boolean gone;
    /** Messages skipped because the member was too far behind. Written under the room's lock. */
    private volatile long skipped;
    /** The missed sequence numbers not yet reported through onGap: 0 when none. Under the room's lock. */
    private long gapFrom;
    private long gapTo;

    RoomMember(String room, NioWebSocket socket, Object label) {
        this.room = room;
        this.socket = socket;
        this.label = label;
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
            if (gapFrom == 0) {
                gapFrom = seq;
            }
            gapTo = seq;
        }
    }

    /** Messages {@code from} to {@code to} will not come (lost by the engine): a gap, but not a skip. */
    void missed(long from, long to) {
        if (gapFrom == 0) {
            gapFrom = from;
        }
        gapTo = Math.max(gapTo, to);
    }

    /** Whether a gap waits to be reported. */
    boolean hasGap() {
        return gapFrom != 0;
    }

    long gapFrom() {
        return gapFrom;
    }

    long gapTo() {
        return gapTo;
    }

    void gapReported() {
        gapFrom = 0;
        gapTo = 0;
    }
}
