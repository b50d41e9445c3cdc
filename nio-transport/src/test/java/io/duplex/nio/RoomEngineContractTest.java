package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rooms with an engine that attaches later, on its own thread, as one that fetches history from elsewhere
 * does: the join completes when the engine attaches, is reported once, and a connection that closes before
 * then leaves nothing behind.
 */
class RoomEngineContractTest extends RoomsFixture {

    /** The in-memory engine with each attach deferred to another thread until the test opens the gate. */
    static final class DeferredEngine implements RoomEngine {
        final InMemoryRoomEngine delegate = InMemoryRoomEngine.builder().historyCount(10).build();
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public void start(RoomFanout fanout) {
            delegate.start(fanout);
        }

        @Override
        public CompletableFuture<Long> publish(String room, LongFunction<PreparedMessage> message) {
            return delegate.publish(room, message);
        }

        @Override
        public void announce(String room, PreparedMessage message, long exceptId) {
            delegate.announce(room, message, exceptId);
        }

        @Override
        public void attach(String room, long since, Consumer<RoomSnapshot> attached) {
            CountDownLatch g = gate;
            thread.execute(() -> {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    return;
                }
                delegate.attach(room, since, attached);
            });
        }

        @Override
        public void detach(String room) {
            delegate.detach(room);
        }

        @Override
        public long latest(String room) {
            return delegate.latest(room);
        }
    }

    private final DeferredEngine engine = new DeferredEngine();

    @AfterEach
    void stopEngineThread() {
        engine.thread.shutdownNow();
    }

    @Test
    void aLateAttachCompletesTheJoinAndReportsItOnce() throws Exception {
        start();
        BlockingQueue<String> joins = new LinkedBlockingQueue<>();
        Rooms rooms = rooms(b -> b.engine(engine).listener(new RoomListener() {
            @Override
            public void onJoin(RoomMember m) {
                joins.add(m.label());
            }
        }));
        Peer a = peer();
        rooms.publish("r", PreparedMessage.text("kept 1")).get();
        CountDownLatch gate = new CountDownLatch(1);
        engine.gate = gate;
        rooms.join(a.server(), "r", "alice", 0, s -> java.util.List.of(PreparedMessage.text("joined " + s.latest())));
        assertNull(joins.poll(100, TimeUnit.MILLISECONDS), "not attached yet");
        assertEquals(0, rooms.memberCount("r"));
        gate.countDown();
        assertEquals("alice", joins.poll(10, TimeUnit.SECONDS));
        assertEquals("joined 1", a.next());
        assertEquals("kept 1", a.next());
        rooms.publish("r", PreparedMessage.text("live 2"));
        assertEquals("live 2", a.next());
        assertNull(joins.poll(100, TimeUnit.MILLISECONDS), "reported once");
    }

    @Test
    void aConnectionClosedBeforeTheAttachLeavesNothingBehind() throws Exception {
        start();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Rooms rooms = rooms(b -> b.engine(engine).listener(new RoomListener() {
            @Override
            public void onJoin(RoomMember m) {
                events.add("join");
            }

            @Override
            public void onLeave(RoomMember m, boolean closed) {
                events.add("leave");
            }
        }));
        Peer a = peer();
        CountDownLatch gate = new CountDownLatch(1);
        engine.gate = gate;
        RoomMember m = rooms.join(a.server(), "r", "alice");
        a.client().close();
        eventually(() -> server.connection(a.server().id()) == null, "connection closed on the server");
        gate.countDown();
        eventually(() -> !m.isActive(), "the late attach undone");
        engine.gate = new CountDownLatch(0);
        Peer b = peer();
        rooms.join(b.server(), "r", "bob"); // runs after the undone attach on the engine's one thread
        eventually(() -> rooms.memberCount("r") == 1, "bob attached");
        assertEquals("bob", rooms.members("r").get(0).label(), "alice is not in the room");
        assertEquals("join", events.poll(10, TimeUnit.SECONDS), "only bob's join");
        assertNull(events.poll(100, TimeUnit.MILLISECONDS), "alice was never reported");
    }
}
