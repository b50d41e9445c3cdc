package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Measures the heap a membership and a kept empty room take, and bounds them generously: the figures in
 * docs/guide.md come from this test's output.
 */
class RoomMemoryTest extends RoomsFixture {

    private static final int CONNECTIONS = 200;
    private static final int ROOMS = 500;

    @Test
    void bytesPerMembershipAndPerKeptRoom() throws Exception {
        start();
        InMemoryRoomEngine engine = InMemoryRoomEngine.builder().historyCount(1).build();
        Rooms rooms = rooms(b -> b.engine(engine).maxRoomsPerConnection(ROOMS));
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            sockets.add(peer().server());
        }
        List<String> names = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            names.add("room-" + r);
        }
        long before = usedHeap();
        for (WebSocket ws : sockets) {
            for (String name : names) {
                rooms.join(ws, name, null);
            }
        }
        long after = usedHeap();
        int memberships = CONNECTIONS * ROOMS;
        assertEquals(CONNECTIONS, rooms.memberCount("room-7"));
        long perMembership = (after - before) / memberships;
        System.out.printf("rooms: %d memberships in %d rooms: %d bytes per membership%n", memberships, ROOMS,
                perMembership);
        assertTrue(perMembership < 1024, "bytes per membership: " + perMembership);

        // Rooms without members that keep one message each (the message itself shared).
        PreparedMessage shared = PreparedMessage.text("x");
        int kept = 50_000;
        List<String> keptNames = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            keptNames.add("kept-" + i);
        }
        long beforeKept = usedHeap();
        for (String name : keptNames) {
            rooms.publish(name, shared);
        }
        long afterKept = usedHeap();
        assertEquals(ROOMS + kept, engine.roomCount());
        long perRoom = (afterKept - beforeKept) / kept;
        System.out.printf("rooms: %d rooms without members keeping one message: %d bytes per room%n", kept, perRoom);
        assertTrue(perRoom < 2048, "bytes per kept room: " + perRoom);
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
