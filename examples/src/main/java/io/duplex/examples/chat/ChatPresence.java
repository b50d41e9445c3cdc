package io.duplex.examples.chat;

import io.duplex.nio.PreparedMessage;
import io.duplex.nio.RoomListener;
import io.duplex.nio.RoomMember;
import io.duplex.nio.Rooms;
import io.duplex.redis.RedisPresence;

/**
 * Tells a room's members who came and went, and tells a member that was too slow which messages it missed.
 * Bound to its {@link Rooms} after they are built, since they take the listener at build time.
 */
final class ChatPresence implements RoomListener {

    private volatile Rooms rooms;
    /** Presence on every node, with --redis; null on a single node. */
    private volatile RedisPresence cluster;

    void bind(Rooms rooms, RedisPresence cluster) {
        this.rooms = rooms;
        this.cluster = cluster;
    }

    @Override
    public void onJoin(RoomMember m) {
        if (cluster != null) {
            cluster.joined(m);
        }
        rooms.announce(m.room(), notice(m, "join"), m.socket());
    }

    /** A member of a node that died was removed from the cluster's presence: tell the room. */
    void swept(String room, String nick) {
        rooms.announce(room, PreparedMessage.text(ChatMessages.presence(room, nick, "leave")), null);
    }

    @Override
    public void onLeave(RoomMember m, boolean closed) {
        if (cluster != null) {
            cluster.left(m);
        }
        // The member is out of the room already: the notice goes to the others only.
        rooms.announce(m.room(), notice(m, "leave"), null);
    }

    @Override
    public void onGap(RoomMember m, long from, long to) {
        m.socket().sendText(ChatMessages.gap(m.room(), from, to));
    }

    private static PreparedMessage notice(RoomMember m, String event) {
        return PreparedMessage.text(ChatMessages.presence(m.room(), m.label(), event));
    }
}
