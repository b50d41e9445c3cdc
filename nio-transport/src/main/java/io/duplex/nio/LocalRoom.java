package io.duplex.nio;

import io.duplex.nio.loop.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * The members of one room on this node, grouped by event loop so a publish hands each loop one task. Every
 * method runs with the room's monitor held (the caller synchronizes on this object).
 */
final class LocalRoom {

    /** One loop's members of the room. */
    static final class OnLoop {
        final EventLoop loop;
        final ArrayList<RoomMember> members = new ArrayList<>(4);

        OnLoop(EventLoop loop) {
            this.loop = loop;
        }
    }

    final String name;
    /** Usually as many as the loops with members: a handful, so a list beats a map. */
    final ArrayList<OnLoop> loops = new ArrayList<>(2);
    private int size;
    /** Emptied and removed from the rooms' map: whoever holds it must look the room up again. */
    boolean dead;

    LocalRoom(String name) {
        this.name = name;
    }

    int size() {
        return size;
    }

    void add(RoomMember m, EventLoop loop) {
        for (OnLoop l : loops) {
            if (l.loop == loop) {
                l.members.add(m);
                size++;
                return;
            }
        }
        OnLoop l = new OnLoop(loop);
        l.members.add(m);
        loops.add(l);
        size++;
    }

    /** Removes {@code m}; false if it was not here. */
    boolean remove(RoomMember m, EventLoop loop) {
        for (int i = 0; i < loops.size(); i++) {
            OnLoop l = loops.get(i);
            if (l.loop == loop) {
                int at = l.members.indexOf(m);
                if (at < 0) {
                    return false;
                }
                // Order among members does not matter: swap the last in, so removal is O(1) after the search.
                int last = l.members.size() - 1;
                l.members.set(at, l.members.get(last));
                l.members.remove(last);
                if (l.members.isEmpty()) {
                    loops.remove(i);
                }
                size--;
                return true;
            }
        }
        return false;
    }

    void copyMembers(List<RoomMember> into) {
        for (OnLoop l : loops) {
            into.addAll(l.members);
        }
    }
}
