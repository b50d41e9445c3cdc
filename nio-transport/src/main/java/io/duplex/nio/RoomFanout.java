package io.duplex.nio;

/**
 * Where a {@link RoomEngine} hands each room's messages for this node's members: implemented by
 * {@link Rooms}. The engine calls it in each room's sequence order, one call at a time per room.
 */
public interface RoomFanout {

    /**
     * Writes {@code message} to the local members of {@code room} on their own event loops, in the order of
     * these calls. Never blocks: members too far behind are handled by the rooms' {@link SlowMemberPolicy}.
     *
     * @param seq the message's sequence number, or 0 for an announcement outside the sequence
     * @param exceptId the id of a local connection to leave out, or 0
     */
    void deliver(String room, long seq, PreparedMessage message, long exceptId);

    /**
     * The messages {@code from} to {@code to} (both inclusive) of {@code room} will never be delivered on this
     * node (an engine that lost them, for example while its broker was unreachable): each local member is
     * told through {@link RoomListener#onGap} before the next message it receives.
     */
    void gap(String room, long from, long to);
}
