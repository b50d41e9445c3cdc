package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The in-memory history's age bound, on a clock the test moves (no sleeping): messages older than the bound
 * are not replayed and are reported as a gap; a room whose history all expired and that has no member is
 * forgotten. The clock starts just below the wrap of {@code long}, as {@code System.nanoTime} may.
 */
class RoomHistoryAgeTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - 30 * SECOND);
    private final List<Long> delivered = new ArrayList<>();

    private InMemoryRoomEngine engine(Duration maxAge) {
        InMemoryRoomEngine engine = InMemoryRoomEngine.builder().historyCount(100).historyMaxAge(maxAge)
                .clock(now::get).build();
        engine.start(new RoomFanout() {
            @Override
            public void deliver(String room, long seq, PreparedMessage message, long exceptId) {
                delivered.add(seq);
            }

            @Override
            public void gap(String room, long from, long to) {
            }
        });
        return engine;
    }

    private static void publish(InMemoryRoomEngine engine, int count) {
        for (int i = 0; i < count; i++) {
            engine.publish("r", seq -> PreparedMessage.text("m" + seq));
        }
    }

    private static RoomSnapshot resume(InMemoryRoomEngine engine, long since) {
        RoomSnapshot[] taken = new RoomSnapshot[1];
        engine.attach("r", since, s -> taken[0] = s);
        return taken[0];
    }

    private static List<Long> seqs(RoomSnapshot s) {
        List<Long> out = new ArrayList<>();
        for (SequencedMessage m : s.replay()) {
            out.add(m.seq());
        }
        return out;
    }

    @Test
    void messagesOlderThanTheBoundAreNotReplayedButReportedAsAGap() {
        InMemoryRoomEngine engine = engine(Duration.ofMinutes(1));
        publish(engine, 3);
        now.addAndGet(40 * SECOND); // past the wrap of the clock
        publish(engine, 2);
        now.addAndGet(20 * SECOND);
        RoomSnapshot atTheBound = resume(engine, 0);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(atTheBound), "a message exactly as old as the bound is kept");
        assertFalse(atTheBound.hasGap());

        now.addAndGet(1);
        RoomSnapshot later = resume(engine, 0);
        assertEquals(5, later.latest());
        assertEquals(List.of(4L, 5L), seqs(later));
        assertEquals(1, later.gapFrom());
        assertEquals(3, later.gapTo());

        now.addAndGet(40 * SECOND);
        RoomSnapshot allOld = resume(engine, 2);
        assertEquals(5, allOld.latest(), "a room with members keeps its sequence when its history expires");
        assertEquals(List.of(), seqs(allOld));
        assertEquals(3, allOld.gapFrom());
        assertEquals(5, allOld.gapTo());
        publish(engine, 1);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), delivered, "the age bound never touches live delivery");
    }

    @Test
    void aRoomWhoseHistoryExpiredWithoutMembersIsForgotten() {
        InMemoryRoomEngine engine = engine(Duration.ofSeconds(10));
        publish(engine, 2);
        assertEquals(1, engine.roomCount());
        assertEquals(2, engine.latest("r"));
        now.addAndGet(10 * SECOND + 1);
        assertEquals(0, engine.latest("r"), "forgotten: its sequence starts again");
        assertEquals(0, engine.roomCount());
        publish(engine, 1);
        assertEquals(1, engine.latest("r"));
    }

    @Test
    void zeroMeansNoAgeBoundAndANegativeAgeIsRefused() {
        InMemoryRoomEngine engine = engine(Duration.ZERO);
        publish(engine, 2);
        now.addAndGet(TimeUnit.DAYS.toNanos(365));
        RoomSnapshot s = resume(engine, 0);
        assertEquals(List.of(1L, 2L), seqs(s));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> InMemoryRoomEngine.builder().historyMaxAge(Duration.ofSeconds(-1)));
        assertTrue(bad.getMessage().contains("historyMaxAge"), bad.getMessage());
    }
}
