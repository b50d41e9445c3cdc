package io.duplex.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.nio.PreparedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A stalled Redis (the real redis-server stopped with SIGSTOP: connections stay open, nothing answers): event
 * loops keep serving, publishes wait (bounded) or time out, and what was sent runs once Redis resumes.
 */
class RedisStallTest extends ClusterTest {

    /** Longer than any of these tests: a publish sent to the paused Redis waits for it, never times out. */
    private static final Duration NO_TIMEOUT = Duration.ofMinutes(5);
    /** Short enough to wait for, long enough that an ordinary command never takes it on a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);


    @Test
    void eventLoopsKeepServingWhileRedisStallsAndPublishesCompleteAfterIt() throws Exception {
        Node a = cluster.node(e -> e.commandTimeout(NO_TIMEOUT));
        Node b = cluster.node(e -> e.commandTimeout(NO_TIMEOUT));
        Member alice = cluster.member(a);
        Member bob = cluster.member(b);
        alice.join("slow", -1);
        bob.join("slow", -1);
        a.say("slow", "before").get(10, TimeUnit.SECONDS);
        alice.expect(1, "before");
        bob.expect(1, "before");

        cluster.redis.pause();
        // A publish made on node a's event loop (inside a message handler) returns at once: the same loop then
        // answers the echo that followed it on the connection, while the publish still waits for Redis.
        alice.ws.sendText("say slow\nfrom the loop");
        alice.ws.sendText("echo ping");
        assertEquals("echo ping", alice.next());
        CompletableFuture<Long> fromTest = a.say("slow", "from the test");
        assertFalse(fromTest.isDone(), "Redis is stopped: nothing can have answered");
        // New connections are accepted and served meanwhile.
        Member carol = cluster.member(b);
        carol.ws.sendText("echo still here");
        assertEquals("echo still here", carol.next());

        cluster.redis.resume();
        assertEquals(3L, fromTest.get(20, TimeUnit.SECONDS), "completed after the stall, in the order sent");
        List<String> toAlice = List.of(alice.next(), alice.next(), alice.next());
        assertTrue(toAlice.contains("published 2"), "the loop's publish completed: " + toAlice);
        List<String> roomMessages = new ArrayList<>(toAlice);
        roomMessages.remove("published 2");
        assertEquals(List.of("2 from the loop", "3 from the test"), roomMessages);
        bob.expect(2, "from the loop");
        bob.expect(3, "from the test");
    }

    @Test
    void aPublishThatOutlastsTheCommandTimeoutFailsWithItsOutcomeUnknown() throws Exception {
        Node a = cluster.node(e -> e.commandTimeout(TIMEOUT));
        Node b = cluster.node(e -> e.commandTimeout(TIMEOUT));
        Member bob = cluster.member(b);
        bob.join("late", -1);
        a.say("late", "before").get(10, TimeUnit.SECONDS);
        bob.expect(1, "before");

        cluster.redis.pause();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a.say("late", "timed out").get(20, TimeUnit.SECONDS));
        RedisRoomException failure = assertInstanceOf(RedisRoomException.class, e.getCause());
        assertTrue(failure.getMessage().contains("it may still have been published"), failure.getMessage());

        cluster.redis.resume();
        // It had reached Redis, which ran it when it resumed: the application was told "unknown", not "lost".
        bob.expect(2, "timed out");
        assertEquals(3L, a.say("late", "after").get(20, TimeUnit.SECONDS));
        bob.expect(3, "after");
    }

    @Test
    void publishesBeyondTheBoundFailAtOnceBeforeTheMessageIsMade() throws Exception {
        Node a = cluster.node(e -> e.commandTimeout(NO_TIMEOUT).maxPendingPublishes(3));
        Member alice = cluster.member(a);
        alice.join("bound", -1);

        cluster.redis.pause();
        AtomicInteger made = new AtomicInteger();
        List<CompletableFuture<Long>> waiting = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String text = "m" + i;
            waiting.add(a.rooms.publish("bound", seq -> {
                made.incrementAndGet();
                return PreparedMessage.text(seq + " " + text);
            }));
        }
        CompletableFuture<Long> over = a.rooms.publish("bound", seq -> {
            made.incrementAndGet();
            return PreparedMessage.text(seq + " over");
        });
        assertTrue(over.isCompletedExceptionally(), "the fourth fails at once, without waiting for Redis");
        ExecutionException e = assertThrows(ExecutionException.class, over::get);
        RedisRoomException failure = assertInstanceOf(RedisRoomException.class, e.getCause());
        assertEquals("3 publishes already wait for Redis: not published to room bound", failure.getMessage());
        assertEquals(3, made.get(), "the refused message was never made (nothing allocated for it)");
        for (CompletableFuture<Long> w : waiting) {
            assertFalse(w.isDone(), "Redis is stopped: nothing can have answered");
        }

        cluster.redis.resume();
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, waiting.get(i - 1).get(20, TimeUnit.SECONDS));
            alice.expect(i, "m" + i);
        }
        assertEquals(4L, a.say("bound", "room again").get(20, TimeUnit.SECONDS), "the bound counts only waiting ones");
        alice.expect(4, "room again");
    }
}
