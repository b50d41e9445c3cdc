package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One order per room: publishers on other threads and on the event loops, members on both loops. */
class RoomOrderTest extends RoomsFixture {

    private static final int THREADS = 3;
    private static final int PER_THREAD = 300;
    private static final int FROM_LOOPS = 200;

    @Test
    void everyMemberSeesTheIdenticalSequence() throws Exception {
        AtomicReference<Rooms> roomsRef = new AtomicReference<>();
        start(new WebSocketHandler() {
            @Override
            public void onText(WebSocket ws, String text) {
                // A publish from the event loop of the connection that asked for it.
                roomsRef.get().publish("room", seq -> PreparedMessage.text(seq + ":" + text));
            }
        });
        Rooms rooms = rooms(b -> b.memberBacklog(64L << 20));
        roomsRef.set(rooms);
        List<Peer> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Peer p = peer();
            rooms.join(p.server(), "room", "m" + i);
            members.add(p);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int tag = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < PER_THREAD; i++) {
                    String body = ":t" + tag + "-" + i;
                    rooms.publish("room", seq -> PreparedMessage.text(seq + body));
                }
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (int i = 0; i < FROM_LOOPS; i++) {
            members.get(i % members.size()).client().sendText("loop" + i);
        }
        for (Thread th : threads) {
            th.join(30_000);
        }
        int total = THREADS * PER_THREAD + FROM_LOOPS;
        List<String> first = null;
        for (Peer p : members) {
            List<String> got = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                got.add(p.next());
            }
            for (int i = 0; i < total; i++) {
                String s = got.get(i);
                assertEquals(i + 1, Long.parseLong(s.substring(0, s.indexOf(':'))), "sequence numbers 1, 2, 3, ...");
            }
            if (first == null) {
                first = got;
            } else {
                assertEquals(first, got, "every member sees the identical sequence");
            }
        }
        assertEquals(total, rooms.latest("room"));
        assertEquals(null, members.get(0).recorder().messages.poll(100, TimeUnit.MILLISECONDS), "nothing more");
    }
}
