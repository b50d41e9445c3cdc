package io.duplex.nio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The room memberships of server connections, kept in each connection's own {@code memberships} field: null
 * (in no room), one {@link RoomMember}, or an array of them. A value is never changed in place: each change
 * swaps in a new one by compare-and-set, so any thread may join, leave or read without a lock, and a
 * connection in one room costs nothing beyond its membership (the common layout: one room per connection).
 * The members of several {@link Rooms} of one server share the field; each sees only its own.
 *
 * <p>Each operation is linear in the connection's own memberships, which
 * {@link Rooms.Builder#maxRoomsPerConnection} bounds.
 */
final class Memberships {

    private static final VarHandle FIELD;

    static {
        try {
            FIELD = MethodHandles.lookup().findVarHandle(ServerConnection.class, "memberships", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Memberships() {
    }

    /**
     * Adds {@code m} unless the connection is already in its room or at {@code max} rooms of its owner.
     *
     * @throws IllegalStateException if the connection is in the room already or in {@code max} rooms
     */
    static void reserve(ServerConnection c, RoomMember m, int max) {
        for (;;) {
            Object cur = c.memberships;
            int n = size(cur);
            int own = 0;
            for (int i = 0; i < n; i++) {
                RoomMember x = at(cur, i);
                if (x.owner == m.owner) {
                    if (x.room().equals(m.room())) {
                        throw new IllegalStateException("already a member of room " + m.room());
                    }
                    own++;
                }
            }
            if (own >= max) {
                throw new IllegalStateException("room limit reached: a connection may be in at most " + max + " rooms");
            }
            Object next;
            if (n == 0) {
                next = m;
            } else {
                RoomMember[] grown = new RoomMember[n + 1];
                for (int i = 0; i < n; i++) {
                    grown[i] = at(cur, i);
                }
                grown[n] = m;
                next = grown;
            }
            if (FIELD.compareAndSet(c, cur, next)) {
                return;
            }
        }
    }

    /** Whether {@code m} is still one of the connection's memberships. */
    static boolean holds(ServerConnection c, RoomMember m) {
        Object cur = c.memberships;
        for (int i = 0, n = size(cur); i < n; i++) {
            if (at(cur, i) == m) {
                return true;
            }
        }
        return false;
    }

    /** The connection's membership of {@code owner}'s {@code room}, or null. */
    static RoomMember get(ServerConnection c, Rooms owner, String room) {
        Object cur = c.memberships;
        return at(cur, indexOf(cur, owner, room));
    }

    /**
     * Removes and returns the connection's membership of {@code owner}'s {@code room}, or null.
     *
     * @param expected remove only this membership; null for whichever there is
     */
    static RoomMember remove(ServerConnection c, Rooms owner, String room, RoomMember expected) {
        for (;;) {
            Object cur = c.memberships;
            int i = indexOf(cur, owner, room);
            RoomMember m = at(cur, i);
            if (m == null || (expected != null && m != expected)) {
                return null;
            }
            if (FIELD.compareAndSet(c, cur, without(cur, i))) {
                return m;
            }
        }
    }

    /** Removes and returns every membership of {@code owner}'s rooms (the connection closed). */
    static List<RoomMember> removeAll(ServerConnection c, Rooms owner) {
        for (;;) {
            Object cur = c.memberships;
            Object rest = cur;
            List<RoomMember> taken = null;
            for (int i = size(rest) - 1; i >= 0; i--) {
                RoomMember m = at(rest, i);
                if (m.owner == owner) {
                    if (taken == null) {
                        taken = new ArrayList<>(1);
                    }
                    taken.add(m);
                    rest = without(rest, i);
                }
            }
            if (taken == null) {
                return List.of();
            }
            if (FIELD.compareAndSet(c, cur, rest)) {
                return taken;
            }
        }
    }

    /** The names of {@code owner}'s rooms the connection is in, a snapshot. */
    static Set<String> rooms(ServerConnection c, Rooms owner) {
        Object cur = c.memberships;
        Set<String> names = new HashSet<>();
        for (int i = 0, n = size(cur); i < n; i++) {
            RoomMember m = at(cur, i);
            if (m.owner == owner) {
                names.add(m.room());
            }
        }
        return Set.copyOf(names);
    }

    private static int size(Object v) {
        return v == null ? 0 : v instanceof RoomMember ? 1 : ((RoomMember[]) v).length;
    }

    /** The {@code i}th membership of {@code v}, or null when {@code i} is negative. */
    private static RoomMember at(Object v, int i) {
        if (i < 0) {
            return null;
        }
        return v instanceof RoomMember m ? m : ((RoomMember[]) v)[i];
    }

    private static int indexOf(Object v, Rooms owner, String room) {
        for (int i = 0, n = size(v); i < n; i++) {
            RoomMember m = at(v, i);
            if (m.owner == owner && m.room().equals(room)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code v} without its {@code i}th membership; one left goes back to the single-member form. */
    private static Object without(Object v, int i) {
        int n = size(v);
        if (n == 1) {
            return null;
        }
        RoomMember[] all = (RoomMember[]) v;
        if (n == 2) {
            return all[1 - i];
        }
        RoomMember[] rest = new RoomMember[n - 1];
        System.arraycopy(all, 0, rest, 0, i);
        System.arraycopy(all, i + 1, rest, i, n - 1 - i);
        return rest;
    }
}
