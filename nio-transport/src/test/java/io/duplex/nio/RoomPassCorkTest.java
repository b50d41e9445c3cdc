package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.internal.loop.EventLoop;
import io.duplex.nio.internal.loop.PassCork;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The room frames a member is given in one pass of its event loop are held until the pass's end and leave in
 * one gathering write, in order, still counted by the member's {@code bufferedAmount()} meanwhile, and before
 * anything written to the member after them (a Close included). Passes with several publishes are made
 * deterministic by publishing from the handler, on the members' own loop: every delivery it queues runs in the
 * same pass.
 */
class RoomPassCorkTest extends RoomsFixture {

    private final AtomicReference<Rooms> roomsRef = new AtomicReference<>();
    /** A server of its own on one loop, so that every member's deliveries run on the publishing loop. */
    private EventLoopGroup oneLoop;

    /** Stops the server on {@link #oneLoop} first, then checks that loop for leaks, as the fixture does its own. */
    @AfterEach
    void closeOneLoop() throws Exception {
        if (oneLoop == null) {
            return;
        }
        try {
            server.stop(Duration.ofSeconds(2));
            eventually(() -> server.connectionCount() == 0, "server connections to close");
            eventually(() -> oneLoop.outstandingBuffers() == 0, "pooled buffers to return");
        } finally {
            oneLoop.close();
        }
    }

    private static PreparedMessage numbered(long seq) {
        return PreparedMessage.text(Long.toString(seq));
    }

    /**
     * A server on one loop; a client's "burst N" publishes N messages to room "r" from that loop's handler, then
     * {@code more} is given the text there too.
     */
    private void startOnOneLoop(Consumer<String> more) throws Exception {
        oneLoop = EventLoopGroup.create(1, 10);
        server = server(b -> b.loops(oneLoop).handler(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket ws) {
                accepted.add(ws);
            }

            @Override
            public void onText(WebSocket ws, String text) {
                if (text.startsWith("burst ")) {
                    for (int i = Integer.parseInt(text.substring(6)); i > 0; i--) {
                        roomsRef.get().publish("r", RoomPassCorkTest::numbered);
                    }
                }
                more.accept(text);
            }
        }));
    }

    /** Builds the rooms with default options and joins {@code n} new peers to room "r". */
    private List<Peer> membersOfR(int n) throws Exception {
        roomsRef.set(rooms(b -> { }));
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Peer p = peer();
            roomsRef.get().join(p.server(), "r", "m" + i);
            peers.add(p);
        }
        return peers;
    }

    private PassCork cork() {
        return oneLoop.loop(0).passCork();
    }

    /** {@code {frames held, gathering writes}} of the server's loop, read on it. */
    private long[] corkCounts() throws Exception {
        EventLoop loop = oneLoop.loop(0);
        CompletableFuture<long[]> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(new long[] {cork().framesHeld(), cork().writes()}));
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theFramesOfOnePassLeaveInOneWritePerMember() throws Exception {
        startOnOneLoop(text -> { });
        List<Peer> peers = membersOfR(3);
        long[] before = corkCounts();
        peers.get(0).client().sendText("burst 5");
        for (Peer p : peers) {
            for (int seq = 1; seq <= 5; seq++) {
                assertEquals(Integer.toString(seq), p.next(), "each member gets the burst in order");
            }
        }
        long[] after = corkCounts();
        assertEquals(15, after[0] - before[0], "5 frames held for each of 3 members");
        assertEquals(3, after[1] - before[1], "one gathering write per member for the whole pass");
    }

    @Test
    void aPassWithMoreFramesThanTheCorkHoldsWritesThemInBatchesInOrder() throws Exception {
        startOnOneLoop(text -> { });
        List<Peer> peers = membersOfR(3);
        int burst = PassCork.MAX_FRAMES / 2; // 3 members: the cork fills in the middle of the pass
        long[] before = corkCounts();
        peers.get(0).client().sendText("burst " + burst);
        for (Peer p : peers) {
            for (int seq = 1; seq <= burst; seq++) {
                assertEquals(Integer.toString(seq), p.next(), "each member gets the burst in order");
            }
        }
        long[] after = corkCounts();
        assertEquals(3L * burst, after[0] - before[0], "every frame was held");
    }

    @Test
    void heldFramesCountInBufferedAmountSoThePolicySeesThem() throws Exception {
        // The handler publishes one message, then (in a task that runs after that message's delivery, in the
        // same pass) a second: the first is held for every member, so the second finds it buffered.
        startOnOneLoop(text -> {
            if (text.equals("two")) {
                roomsRef.get().publish("r", RoomPassCorkTest::numbered);
                oneLoop.loop(0).execute(() -> roomsRef.get().publish("r", RoomPassCorkTest::numbered));
            }
        });
        int frame = numbered(1).frameLength();
        BlockingQueue<String> gaps = new LinkedBlockingQueue<>();
        roomsRef.set(rooms(b -> b.memberBacklog(frame + frame / 2).listener(new RoomListener() {
            @Override
            public void onGap(RoomMember m, long from, long to) {
                gaps.add(m.label() + ":" + from + "-" + to);
            }
        })));
        Peer a = peer();
        Peer b = peer();
        RoomMember ma = roomsRef.get().join(a.server(), "r", "a");
        RoomMember mb = roomsRef.get().join(b.server(), "r", "b");
        a.client().sendText("two");
        assertEquals("1", a.next());
        assertEquals("1", b.next());
        eventually(() -> ma.skipped() == 1 && mb.skipped() == 1, "message 2 skipped for both members");
        eventually(() -> a.server().bufferedAmount() == 0 && b.server().bufferedAmount() == 0, "written at the pass's end");
        roomsRef.get().publish("r", RoomPassCorkTest::numbered);
        assertEquals("3", a.next(), "the next message after the skipped one");
        assertEquals("3", b.next());
        List<String> told = new ArrayList<>();
        told.add(gaps.poll(10, TimeUnit.SECONDS));
        told.add(gaps.poll(10, TimeUnit.SECONDS));
        told.sort(null);
        assertEquals(List.of("a:2-2", "b:2-2"), told, "each member told of the gap");
        assertTrue(a.server().isOpen() && b.server().isOpen(), "skipped, not closed");
    }

    @Test
    void aCloseAfterHeldFramesFollowsThem() throws Exception {
        // Five publishes, then a close of every member in a task of the same pass: the frames are still held
        // when the Close is written, and must reach the peer before it.
        startOnOneLoop(text -> {
            List<WebSocket> members = new ArrayList<>();
            roomsRef.get().members("r").forEach(m -> members.add(m.socket()));
            oneLoop.loop(0).execute(() -> members.forEach(m -> m.close(CloseStatus.NORMAL_CLOSURE, "bye")));
        });
        roomsRef.set(rooms(b -> { }));
        Peer a = peer();
        Peer b = peer();
        roomsRef.get().join(a.server(), "r", "a");
        roomsRef.get().join(b.server(), "r", "b");
        a.client().sendText("burst 5");
        for (Peer p : List.of(a, b)) {
            for (int seq = 1; seq <= 5; seq++) {
                assertEquals(Integer.toString(seq), p.next(), "every held frame arrives before the Close");
            }
            Recorder.Closed closed = p.recorder().awaitClose();
            assertEquals(CloseStatus.NORMAL_CLOSURE, closed.status().code());
            assertTrue(closed.clean());
        }
    }

    @Test
    void orderHoldsWithPublishersOnSeveralLoopsAndThreads() throws Exception {
        // The shared group's two loops, publishers on three threads and bursts from the members' loops.
        start(new WebSocketHandler() {
            @Override
            public void onText(WebSocket ws, String text) {
                for (int i = Integer.parseInt(text.substring(6)); i > 0; i--) {
                    roomsRef.get().publish("r", RoomPassCorkTest::numbered);
                }
            }
        });
        List<Peer> peers = membersOfR(6);
        int threads = 3;
        int perThread = 60;
        int bursts = 5;
        int burst = 4;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    roomsRef.get().publish("r", RoomPassCorkTest::numbered);
                }
            });
            th.start();
            publishers.add(th);
        }
        go.countDown();
        for (int k = 0; k < bursts; k++) {
            for (Peer p : peers) {
                p.client().sendText("burst " + burst);
            }
        }
        for (Thread th : publishers) {
            th.join(10_000);
        }
        int total = threads * perThread + bursts * peers.size() * burst;
        for (Peer p : peers) {
            for (int seq = 1; seq <= total; seq++) {
                assertEquals(Integer.toString(seq), p.next(), "every member sees the room's one order");
            }
        }
    }

    @Test
    void aSlowMemberIsSkippedWhileBurstsAreHeldForTheOthers() throws Exception {
        // Bursts of three 32 KiB messages, each burst in one pass; the fast members hold and write each burst
        // at once, the member that does not read falls behind and is skipped; it later receives, in order, what
        // it was not skipped for, and the gap covers the rest.
        int size = 32 * 1024;
        int backlog = 128 * 1024;
        int bursts = 60;
        FastAndSlow room = fastAndSlow(b -> b.memberBacklog(backlog).listener(new RoomListener() {
            @Override
            public void onGap(RoomMember m, long from, long to) {
                m.socket().sendText("gap:" + from + "-" + to);
            }
        }));
        Peer fast = room.fast();
        RawClient slow = room.slow();
        WebSocket slowServer = room.slowServer();
        RoomMember slowMember = room.slowMember();
        long seq = 0;
        for (int k = 0; k < bursts; k++) {
            seq = burstOfThree(fast, seq, size);
        }
        assertTrue(slowMember.skipped() > 0, "the slow member was skipped");
        assertTrue(slowServer.isOpen(), "skipped, not closed");
        long skipped = slowMember.skipped();
        long kept = seq - skipped;
        List<Long> received = new ArrayList<>();
        while (received.size() < kept) {
            RawClient.Frame f = slow.readFrame();
            assertEquals(1, f.opcode(), "text frames only, each whole");
            received.add(seqOf(new String(f.payload(), StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < received.size(); i++) {
            assertEquals(i + 1, received.get(i), "what was not skipped arrives in order, up to the gap");
        }
        eventually(() -> slowServer.bufferedAmount() == 0, "slow member drained");
        roomsRef.get().publish("r", s -> big(s, size));
        assertEquals("gap:" + (kept + 1) + "-" + seq, new String(slow.readFrame().payload(), StandardCharsets.UTF_8));
        assertEquals(seq + 1, seqOf(new String(slow.readFrame().payload(), StandardCharsets.UTF_8)));
        assertEquals(seq + 1, seqOf(fast.next()));
        slow.close();
    }

    @Test
    void aSlowMemberIsClosedWith1013AfterWhatItWasGiven() throws Exception {
        int size = 32 * 1024;
        FastAndSlow room = fastAndSlow(
                b -> b.memberBacklog(128 * 1024).slowMemberPolicy(SlowMemberPolicy.CLOSE_TRY_AGAIN_LATER));
        Peer fast = room.fast();
        RawClient slow = room.slow();
        WebSocket slowServer = room.slowServer();
        RoomMember slowMember = room.slowMember();
        long seq = 0;
        while (slowMember.isActive()) {
            assertTrue(seq < 3000, "the slow member is closed before 3,000 messages");
            seq = burstOfThree(fast, seq, size);
        }
        long last = 0;
        RawClient.Frame f;
        while ((f = slow.readFrame()).opcode() != 0x8) {
            long s = seqOf(new String(f.payload(), StandardCharsets.UTF_8));
            assertEquals(last + 1, s, "in order, whole frames, up to the Close");
            last = s;
        }
        assertEquals(CloseStatus.TRY_AGAIN_LATER, f.closeCode());
        assertFalse(slowServer.isOpen());
        slow.close();
    }

    /** Room "r" with a member that reads and one that does not read, its server side and its membership. */
    private record FastAndSlow(Peer fast, RawClient slow, WebSocket slowServer, RoomMember slowMember) {
    }

    /** A server on one loop, the rooms with {@code options}, and a fast and a slow member of room "r". */
    private FastAndSlow fastAndSlow(Consumer<Rooms.Builder> options) throws Exception {
        startOnOneLoop(text -> { });
        roomsRef.set(rooms(options));
        Peer fast = peer();
        roomsRef.get().join(fast.server(), "r", "fast");
        RawClient slow = slowPeer();
        WebSocket slowServer = takeAccepted();
        return new FastAndSlow(fast, slow, slowServer, roomsRef.get().join(slowServer, "r", "slow"));
    }

    /**
     * Publishes three messages of {@code size} bytes from one task on the server's loop, so each member is given
     * them in one pass, and waits until the fast member got them, in order after {@code seq}; returns the last.
     */
    private long burstOfThree(Peer fast, long seq, int size) throws Exception {
        CompletableFuture<Void> queued = new CompletableFuture<>();
        oneLoop.loop(0).execute(() -> {
            for (int i = 0; i < 3; i++) {
                roomsRef.get().publish("r", s -> big(s, size));
            }
            queued.complete(null);
        });
        queued.get(10, TimeUnit.SECONDS);
        long last = seq;
        for (int i = 0; i < 3; i++) {
            assertEquals(++last, seqOf(fast.next()), "the fast member gets every message, in order");
        }
        return last;
    }

    private static PreparedMessage big(long seq, int size) {
        String head = seq + ":";
        return PreparedMessage.text(head + "x".repeat(size - head.length()));
    }

    private static long seqOf(String text) {
        int colon = text.indexOf(':');
        assertNotNull(text);
        return Long.parseLong(colon < 0 ? text : text.substring(0, colon));
    }
}
