package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.nio.internal.loop.EventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A room's member set: members on several loops leave in any order, each once, and the rest stay listed. */
class LocalRoomTest {

    private final EventLoop one = new EventLoop("local-room-1", 100, 1024, 1024);
    private final EventLoop two = new EventLoop("local-room-2", 100, 1024, 1024);

    LocalRoomTest() {
        one.start();
        two.start();
    }

    @AfterEach
    void stopLoops() throws InterruptedException {
        one.shutdown();
        two.shutdown();
        assertTrue(one.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(two.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void membersLeaveInAnyOrderAndTheOthersStay() {
        LocalRoom room = new LocalRoom("r");
        Map<RoomMember, EventLoop> loopOf = new IdentityHashMap<>();
        List<RoomMember> order = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            RoomMember m = new RoomMember("r", null, i, null);
            EventLoop loop = i % 3 == 0 ? one : two;
            room.add(m, loop);
            loopOf.put(m, loop);
            order.add(m);
        }
        assertEquals(300, room.size());
        assertEquals(2, room.loops().length);
        Collections.shuffle(order, new Random(14));
        Set<RoomMember> left = Collections.newSetFromMap(new IdentityHashMap<>());
        left.addAll(order);
        for (RoomMember m : order) {
            EventLoop other = loopOf.get(m) == one ? two : one;
            assertFalse(room.remove(m, other), "not a member on the other loop");
            assertTrue(room.remove(m, loopOf.get(m)));
            assertFalse(room.remove(m, loopOf.get(m)), "removed once");
            left.remove(m);
            assertEquals(left.size(), room.size());
            List<RoomMember> listed = new ArrayList<>();
            room.copyMembers(listed);
            Set<RoomMember> listedSet = Collections.newSetFromMap(new IdentityHashMap<>());
            listedSet.addAll(listed);
            assertEquals(left.size(), listed.size(), "no member listed twice");
            assertEquals(left, listedSet);
        }
        assertEquals(0, room.loops().length, "a loop without members is dropped");
    }

    @Test
    void aMemberOfAnotherRoomIsNotRemoved() {
        LocalRoom room = new LocalRoom("r");
        LocalRoom other = new LocalRoom("s");
        RoomMember here = new RoomMember("r", null, "here", null);
        RoomMember there = new RoomMember("s", null, "there", null);
        room.add(here, one);
        other.add(there, one);
        assertFalse(room.remove(there, one), "same slot, other room");
        assertEquals(1, room.size());
        assertTrue(other.remove(there, one));
        assertFalse(room.remove(new RoomMember("r", null, "never", null), one), "never added");
        assertTrue(room.remove(here, one));
    }
}
