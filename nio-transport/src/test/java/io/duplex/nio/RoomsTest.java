package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RoomsTest extends RoomsFixture {

    @Test
    void roomsAreIsolatedAndSendersAreMembers() throws Exception {
        start();
        Rooms rooms = rooms(b -> { });
        Peer a = peer();
        Peer b = peer();
        Peer c = peer();
        rooms.join(a.server(), "red", "a");
        rooms.join(b.server(), "red", "b");
        rooms.join(c.server(), "blue", "c");
        assertEquals(1L, rooms.publish("red", PreparedMessage.text("r1")).get());
        assertEquals(1L, rooms.publish("blue", PreparedMessage.text("b1")).get(), "each room has its own sequence");
        assertEquals(2L, rooms.publish("red", seq -> PreparedMessage.text("r" + seq)).get());
        rooms.publish("blue", PreparedMessage.binary(ByteBuffer.wrap(new byte[] {7})));
        assertEquals("r1", a.next());
        assertEquals("r2", a.next());
        assertEquals("r1", b.next());
        assertEquals("r2", b.next());
        assertEquals("b1", c.next());
        assertTrue(java.util.Arrays.equals(new byte[] {7}, (byte[]) c.recorder().nextMessage()));
        rooms.publish("red", PreparedMessage.text("end"));
        assertEquals("end", a.next());
        assertNull(c.recorder().messages.poll(200, TimeUnit.MILLISECONDS), "blue never sees red");
    }

    @Test
    void membershipQueriesAndPresenceEvents() throws Exception {
        start();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Rooms rooms = rooms(b -> b.listener(new RoomListener() {
            @Override
            public void onJoin(RoomMember m) {
                events.add("join " + m.room() + " " + m.label());
            }

            @Override
            public void onLeave(RoomMember m, boolean closed) {
                events.add((closed ? "closed " : "leave ") + m.room() + " " + m.label());
            }
        }));
        Peer a = peer();
        Peer b = peer();
        RoomMember ma = rooms.join(a.server(), "lobby", "alice");
        rooms.join(b.server(), "lobby", "bob");
        rooms.join(a.server(), "den", "alice");
        assertEquals("join lobby alice", events.poll(5, TimeUnit.SECONDS));
        assertEquals("join lobby bob", events.poll(5, TimeUnit.SECONDS));
        assertEquals("join den alice", events.poll(5, TimeUnit.SECONDS));
        assertEquals(Set.of("alice", "bob"), labels(rooms, "lobby"));
        assertEquals(Set.of("lobby", "den"), rooms.roomsOf(a.server()));
        assertEquals(2, rooms.memberCount("lobby"));
        assertEquals(Set.of("lobby", "den"), rooms.roomNames());
        assertEquals(ma, rooms.membership(a.server(), "lobby"));

        // Presence notices go to the others, in order with the room's messages.
        rooms.announce("lobby", PreparedMessage.text("alice is here"), a.server());
        rooms.publish("lobby", PreparedMessage.text("m1"));
        assertEquals("alice is here", b.next());
        assertEquals("m1", b.next());
        assertEquals("m1", a.next(), "the announcement left alice out");

        assertTrue(rooms.leave(a.server(), "lobby"));
        assertFalse(rooms.leave(a.server(), "lobby"), "not a member any more");
        assertFalse(ma.isActive());
        assertEquals("leave lobby alice", events.poll(5, TimeUnit.SECONDS));
        assertEquals(Set.of("bob"), labels(rooms, "lobby"));
        rooms.publish("lobby", PreparedMessage.text("m2"));
        assertEquals("m2", b.next());
        assertNull(a.recorder().messages.poll(200, TimeUnit.MILLISECONDS), "nothing of the room after leave");

        // Closing leaves every room, before onClose; an emptied room is gone.
        a.client().close();
        assertEquals("closed den alice", events.poll(5, TimeUnit.SECONDS));
        eventually(() -> !rooms.roomNames().contains("den"), "empty room removed");
        b.client().abort();
        assertEquals("closed lobby bob", events.poll(5, TimeUnit.SECONDS));
        eventually(() -> rooms.roomNames().isEmpty(), "all rooms removed");
        assertEquals(0L, rooms.publish("lobby", PreparedMessage.text("void")).get(),
                "a room without members or history takes no number");
    }

    @Test
    void limitsAreEnforced() throws Exception {
        start();
        Rooms rooms = rooms(b -> b.maxRoomsPerConnection(2).maxRoomNameLength(8));
        Peer a = peer();
        rooms.join(a.server(), "one", null);
        rooms.join(a.server(), "two", null);
        IllegalStateException over = assertThrows(IllegalStateException.class,
                () -> rooms.join(a.server(), "three", null));
        assertTrue(over.getMessage().contains("at most 2 rooms"), over.getMessage());
        assertThrows(IllegalStateException.class, () -> rooms.join(a.server(), "one", null), "already a member");
        assertThrows(IllegalArgumentException.class, () -> rooms.join(a.server(), "123456789", null));
        assertThrows(IllegalArgumentException.class, () -> rooms.join(a.server(), "", null));
        assertThrows(IllegalArgumentException.class, () -> rooms.publish("123456789", PreparedMessage.text("x")));
        rooms.leave(a.server(), "one");
        rooms.join(a.server(), "three", null);
        assertEquals(Set.of("two", "three"), rooms.roomsOf(a.server()));
        assertThrows(IllegalArgumentException.class, () -> rooms.join(a.client(), "x", null), "a client socket");
    }

    @Test
    void engineRoomLimitForgetsAnIdleRoomOrRefuses() throws Exception {
        start();
        InMemoryRoomEngine engine = InMemoryRoomEngine.builder().historyCount(10).maxRooms(2).build();
        Rooms rooms = rooms(b -> b.engine(engine));
        Peer a = peer();
        rooms.join(a.server(), "r1", null);
        rooms.publish("kept", PreparedMessage.text("x")).get();
        assertEquals(2, engine.roomCount());
        assertEquals(1L, rooms.latest("kept"));
        // A third room forgets the idle one that only keeps history.
        rooms.join(a.server(), "r2", null);
        assertEquals(2, engine.roomCount());
        assertEquals(0L, rooms.latest("kept"), "forgotten");
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> rooms.join(a.server(), "r3", null));
        assertTrue(full.getMessage().contains("room limit"), full.getMessage());
        assertEquals(Set.of("r1", "r2"), rooms.roomsOf(a.server()), "the refused join left nothing behind");
    }

    private static Set<Object> labels(Rooms rooms, String room) {
        List<RoomMember> members = rooms.members(room);
        return members.stream().map(RoomMember::label).collect(Collectors.toSet());
    }
}
