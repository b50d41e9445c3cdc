package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** History and resume: kept messages then live ones, no duplicate, no hole, or an explicit gap. */
class RoomResumeTest extends RoomsFixture {

    private static List<PreparedMessage> greet(RoomSnapshot s) {
        String gap = s.hasGap() ? " gap " + s.gapFrom() + "-" + s.gapTo() : "";
        return List.of(PreparedMessage.text("joined " + s.latest() + gap));
    }

    @Test
    void resumeReplaysKeptMessagesOrReportsTheGap() throws Exception {
        start();
        InMemoryRoomEngine engine = InMemoryRoomEngine.builder().historyCount(5).build();
        Rooms rooms = rooms(b -> b.engine(engine));
        Peer fresh = peer();
        rooms.join(fresh.server(), "r", null, -1, RoomResumeTest::greet);
        assertEquals("joined 0", fresh.next(), "a new room starts at 0");
        for (int i = 1; i <= 10; i++) {
            rooms.publish("r", seq -> PreparedMessage.text("m" + seq));
        }
        Peer near = peer();
        rooms.join(near.server(), "r", null, 7, RoomResumeTest::greet);
        assertEquals("joined 10", near.next());
        assertEquals("m8", near.next());
        assertEquals("m9", near.next());
        assertEquals("m10", near.next());

        Peer far = peer();
        rooms.join(far.server(), "r", null, 2, RoomResumeTest::greet);
        assertEquals("joined 10 gap 3-5", far.next(), "6..10 are kept: 3..5 will not come");
        for (int i = 6; i <= 10; i++) {
            assertEquals("m" + i, far.next());
        }

        Peer current = peer();
        rooms.join(current.server(), "r", null, 10, RoomResumeTest::greet);
        assertEquals("joined 10", current.next());
        rooms.publish("r", seq -> PreparedMessage.text("m" + seq));
        assertEquals("m11", near.next());
        assertEquals("m11", far.next());
        assertEquals("m11", current.next());
        assertNull(current.recorder().messages.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void withoutHistoryTheWholeRangeIsAGap() throws Exception {
        start();
        Rooms rooms = rooms(b -> { });
        Peer a = peer();
        rooms.join(a.server(), "r", null);
        for (int i = 0; i < 4; i++) {
            rooms.publish("r", PreparedMessage.text("x"));
        }
        Peer b = peer();
        rooms.join(b.server(), "r", null, 1, RoomResumeTest::greet);
        assertEquals("joined 4 gap 2-4", b.next());
    }

    @Test
    void resumeDuringConcurrentPublishesHasNoDuplicateAndNoHole() throws Exception {
        start();
        InMemoryRoomEngine engine = InMemoryRoomEngine.builder().historyCount(100_000).historyBytes(64L << 20).build();
        Rooms rooms = rooms(b -> b.engine(engine));
        Peer anchor = peer();
        rooms.join(anchor.server(), "r", null);
        AtomicBoolean stop = new AtomicBoolean();
        Thread publisher = new Thread(() -> {
            // Paced, so the members keep up on a loaded machine: the test is about order, not overload.
            while (!stop.get()) {
                for (int i = 0; i < 10; i++) {
                    rooms.publish("r", seq -> PreparedMessage.text(Long.toString(seq)));
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        publisher.start();
        try {
            for (int round = 0; round < 5; round++) {
                long since = Math.max(0, rooms.latest("r") - 50);
                Peer p = peer();
                rooms.join(p.server(), "r", null, since, s -> List.of());
                long expect = since + 1;
                for (int i = 0; i < 150; i++) {
                    assertEquals(expect++, Long.parseLong(p.next()), "resume then live, contiguous");
                }
                p.client().close();
            }
        } finally {
            stop.set(true);
            publisher.join(10_000);
        }
        assertFalse(publisher.isAlive());
        assertTrue(rooms.latest("r") > 0);
    }
}
