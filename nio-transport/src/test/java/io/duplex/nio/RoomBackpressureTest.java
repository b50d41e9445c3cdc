package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A member that never reads is skipped (with a gap) or closed, and never slows the others. */
class RoomBackpressureTest extends RoomsFixture {

    private static final int MESSAGES = 200;
    private static final int SIZE = 32 * 1024;
    private static final int BACKLOG = 128 * 1024;

    private static PreparedMessage numbered(long seq) {
        String head = seq + ":";
        return PreparedMessage.text(head + "x".repeat(SIZE - head.length()));
    }

    private static long seqOf(String text) {
        return Long.parseLong(text.substring(0, text.indexOf(':')));
    }

    /**
     * Publishes each message once the fast member got the one before, so the fast member is never behind and
     * only the member that does not read accumulates a backlog.
     */
    private static void publishInStep(Rooms rooms, Peer fast) throws Exception {
        for (int i = 1; i <= MESSAGES; i++) {
            rooms.publish("r", RoomBackpressureTest::numbered);
            assertEquals(i, seqOf(fast.next()), "the fast member gets every message, in order");
        }
    }

    @Test
    void aSlowMemberIsSkippedAndToldTheGap() throws Exception {
        start();
        BlockingQueue<long[]> gaps = new LinkedBlockingQueue<>();
        Rooms rooms = rooms(b -> b.memberBacklog(BACKLOG).listener(new RoomListener() {
            @Override
            public void onGap(RoomMember m, long from, long to) {
                gaps.add(new long[] {from, to});
                m.socket().sendText("gap:" + from + "-" + to);
            }
        }));
        Peer fast = peer();
        rooms.join(fast.server(), "r", "fast");
        RawClient slow = slowPeer();
        WebSocket slowServer = takeAccepted();
        RoomMember slowMember = rooms.join(slowServer, "r", "slow");

        publishInStep(rooms, fast);
        assertTrue(slowMember.skipped() > 0, "the slow member was skipped");
        assertTrue(slowServer.isOpen(), "skipped, not closed");
        assertTrue(slowServer.bufferedAmount() <= BACKLOG + SIZE, "its backlog stayed bounded");
        long skipped = slowMember.skipped();

        // Drain everything queued for the slow member, then one more publish reaches it after a gap notice.
        List<Long> received = new ArrayList<>();
        long last = 0;
        while (last < MESSAGES - skipped) {
            String t = new String(slow.readFrame().payload(), StandardCharsets.UTF_8);
            last = seqOf(t);
            received.add(last);
            if (received.size() == MESSAGES - skipped) {
                break;
            }
        }
        eventually(() -> slowServer.bufferedAmount() == 0, "slow member drained");
        rooms.publish("r", RoomBackpressureTest::numbered);
        String notice = new String(slow.readFrame().payload(), StandardCharsets.UTF_8);
        String next = new String(slow.readFrame().payload(), StandardCharsets.UTF_8);
        assertEquals(MESSAGES + 1, seqOf(next));
        long[] gap = gaps.poll(5, TimeUnit.SECONDS);
        assertEquals("gap:" + gap[0] + "-" + gap[1], notice, "the gap notice comes before the next message");
        // What was received plus the gap covers 1..MESSAGES exactly once.
        assertEquals(received.size() + (gap[1] - gap[0] + 1), MESSAGES, "received + gap = everything");
        for (int i = 0; i < received.size(); i++) {
            assertEquals(i + 1, received.get(i), "received in order, up to the gap");
        }
        assertEquals(received.size() + 1, gap[0]);
        assertEquals(MESSAGES, gap[1]);
        assertEquals(skipped, gap[1] - gap[0] + 1, "skipped() counts the same messages");
        slow.close();
    }

    @Test
    void aSlowMemberIsClosedWith1013() throws Exception {
        start();
        Rooms rooms = rooms(b -> b.memberBacklog(BACKLOG).slowMemberPolicy(SlowMemberPolicy.CLOSE_TRY_AGAIN_LATER));
        Peer fast = peer();
        rooms.join(fast.server(), "r", "fast");
        RawClient slow = slowPeer();
        WebSocket slowServer = takeAccepted();
        RoomMember slowMember = rooms.join(slowServer, "r", "slow");
        publishInStep(rooms, fast);
        assertFalse(slowMember.isActive(), "no longer served");
        eventually(() -> !slowServer.isOpen(), "slow member closing");
        RawClient.Frame f;
        do {
            f = slow.readFrame();
        } while (f.opcode() != 0x8);
        assertEquals(CloseStatus.TRY_AGAIN_LATER, f.closeCode());
        eventually(() -> rooms.memberCount("r") == 1, "closed member left the room");
        slow.close();
    }
}
