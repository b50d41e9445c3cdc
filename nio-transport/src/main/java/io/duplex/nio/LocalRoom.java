package io.duplex.nio;

import io.duplex.nio.internal.loop.EventLoop;
import java.util.Arrays;
import java.util.List;

/**
 * The members of one room on this node, grouped by event loop so a publish hands each loop one task. Every
 * method runs with the room's monitor held (the caller synchronizes on this object).
 */
final class LocalRoom {

    /** One loop's members of the room: the first {@link #size} of {@link #members}, in no particular order. */
    static final class OnLoop {
        final EventLoop loop;
        RoomMember[] members = new RoomMember[2];
        int size;

        OnLoop(EventLoop loop) {
            this.loop = loop;
        }
    }

    private static final OnLoop[] NO_LOOPS = new OnLoop[0];

    final String name;
    /** One per loop with members: a handful, so a scan beats a map. */
    private OnLoop[] loops = NO_LOOPS;
    private int size;
    /** Emptied and removed from the rooms' map: whoever holds it must look the room up again. */
    boolean dead;

    LocalRoom(String name) {
        this.name = name;
    }

    int size() {
        return size;
    }

    /** The loops with members, each with at least one. */
    OnLoop[] loops() {
        return loops;
    }

    void add(RoomMember m, EventLoop loop) {
        OnLoop l = on(loop);
        if (l == null) {
            l = new OnLoop(loop);
            loops = Arrays.copyOf(loops, loops.length + 1);
            loops[loops.length - 1] = l;
        }
        if (l.size == l.members.length) {
            l.members = Arrays.copyOf(l.members, l.size * 2);
        }
        m.slot = l.size;
        l.members[l.size++] = m;
        size++;
    }

    /** Removes {@code m} in constant time (its slot says where it is); false if it was not here. */
    boolean remove(RoomMember m, EventLoop loop) {
        OnLoop l = on(loop);
        int at = m.slot;
        if (l == null || at < 0 || at >= l.size || l.members[at] != m) {
            return false;
        }
        // Order among members does not matter: the last one moves into the freed slot.
        RoomMember last = l.members[--l.size];
        l.members[at] = last;
        last.slot = at;
        l.members[l.size] = null;
        m.slot = -1;
        size--;
        if (l.size == 0) {
            dropLoop(l);
        } else if (l.members.length > 8 && l.size < l.members.length / 4) {
            // A room that shrank gives its memory back; halving (not quartering) leaves room to grow again.
            l.members = Arrays.copyOf(l.members, l.members.length / 2);
        }
        return true;
    }

    void copyMembers(List<RoomMember> into) {
        for (OnLoop l : loops) {
            for (int i = 0; i < l.size; i++) {
                into.add(l.members[i]);
            }
        }
    }

    private OnLoop on(EventLoop loop) {
        for (OnLoop l : loops) {
            if (l.loop == loop) {
                return l;
            }
        }
        return null;
    }

    private void dropLoop(OnLoop gone) {
        OnLoop[] rest = new OnLoop[loops.length - 1];
        int j = 0;
        for (OnLoop l : loops) {
            if (l != gone) {
                rest[j++] = l;
            }
        }
        loops = rest;
    }
}
