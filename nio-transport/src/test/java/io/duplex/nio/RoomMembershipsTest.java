package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connection's memberships: one, several and none again; two {@code Rooms} of one server that each see only
 * their own; joins and leaves of one connection from several threads at once.
 */
class RoomMembershipsTest extends RoomsFixture {

    private static RoomListener recording(String rooms, BlockingQueue<String> events) {
        return new RoomListener() {
            @Override
            public void onJoin(RoomMember m) {
                events.add(rooms + " join " + m.room());
            }

            @Override
            public void onLeave(RoomMember m, boolean closed) {
                events.add(rooms + (closed ? " closed " : " leave ") + m.room());
            }
        };
    }

    @Test
    void twoRoomsOfOneServerEachSeeOnlyTheirOwnMemberships() throws Exception {
        start();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Rooms chat = rooms(b -> b.listener(recording("chat", events)).maxRoomsPerConnection(2));
        Rooms games = rooms(b -> b.listener(recording("games", events)).maxRoomsPerConnection(1));
        Peer a = peer();
        RoomMember lobby = chat.join(a.server(), "lobby", "alice");
        RoomMember gamesLobby = games.join(a.server(), "lobby", "alice");
        chat.join(a.server(), "den", "alice");
        assertEquals("chat join lobby", events.poll(5, TimeUnit.SECONDS));
        assertEquals("games join lobby", events.poll(5, TimeUnit.SECONDS));
        assertEquals("chat join den", events.poll(5, TimeUnit.SECONDS));
        assertEquals(Set.of("lobby", "den"), chat.roomsOf(a.server()));
        assertEquals(Set.of("lobby"), games.roomsOf(a.server()));
        assertSame(lobby, chat.membership(a.server(), "lobby"));
        assertSame(gamesLobby, games.membership(a.server(), "lobby"));
        assertNotSame(lobby, gamesLobby);
        assertNull(games.membership(a.server(), "den"));
        assertThrows(IllegalStateException.class, () -> games.join(a.server(), "arena", null),
                "each Rooms counts its own rooms against its own limit");

        assertTrue(games.leave(a.server(), "lobby"));
        assertEquals("games leave lobby", events.poll(5, TimeUnit.SECONDS));
        assertEquals(Set.of("lobby", "den"), chat.roomsOf(a.server()), "the other Rooms' leave left these");
        assertEquals(1, chat.memberCount("lobby"));
        assertTrue(chat.leave(a.server(), "lobby"));
        assertEquals("chat leave lobby", events.poll(5, TimeUnit.SECONDS));
        assertEquals(Set.of("den"), chat.roomsOf(a.server()));
        assertEquals(Set.of(), games.roomsOf(a.server()));
        games.join(a.server(), "arena", "alice");
        assertEquals("games join arena", events.poll(5, TimeUnit.SECONDS));

        chat.publish("den", PreparedMessage.text("d1"));
        games.publish("arena", PreparedMessage.text("a1"));
        assertEquals("d1", a.next());
        assertEquals("a1", a.next());

        a.client().close();
        Set<String> closed = new HashSet<>();
        closed.add(events.poll(5, TimeUnit.SECONDS));
        closed.add(events.poll(5, TimeUnit.SECONDS));
        assertEquals(Set.of("chat closed den", "games closed arena"), closed, "closing leaves the rooms of both");
        eventually(() -> chat.roomNames().isEmpty() && games.roomNames().isEmpty(), "rooms removed");
    }

    @Test
    void joinsAndLeavesOfOneConnectionFromSeveralThreadsAtOnce() throws Exception {
        start();
        int threads = 4;
        int perThread = 200;
        Rooms rooms = rooms(b -> b.maxRoomsPerConnection(threads * perThread));
        Peer a = peer();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int k = 0; k < perThread; k++) {
                        String room = "t" + thread + "-" + k;
                        rooms.join(a.server(), room, null);
                        if (k % 2 == 0) {
                            assertTrue(rooms.leave(a.server(), room));
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> expected = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            for (int k = 1; k < perThread; k += 2) {
                expected.add("t" + t + "-" + k);
            }
        }
        assertEquals(expected, rooms.roomsOf(a.server()), "every join and leave counted once");
        assertEquals(expected, rooms.roomNames());
        for (String room : expected) {
            assertEquals(1, rooms.memberCount(room), room);
        }
        a.client().close();
        eventually(() -> rooms.roomNames().isEmpty(), "closing left every room");
    }
}
