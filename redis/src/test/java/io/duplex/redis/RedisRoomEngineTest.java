package io.duplex.redis;

import static io.duplex.redis.Cluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.WebSocketClient;
import io.duplex.testing.ExternalPeer;
import io.duplex.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Two nodes in this JVM, each with its own engine and Lettuce client, on one real redis-server. */
class RedisRoomEngineTest {

    private final EventLoopGroup loops = EventLoopGroup.create(2);
    private final WebSocketClient clients = WebSocketClient.builder().loops(loops).build();
    private final List<AutoCloseable> open = new ArrayList<>();
    private RedisServer redis;
    private RedisClient admin;
    private StatefulRedisConnection<String, String> adminConnection;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
        admin = RedisClient.create(RedisURI.create(redis.url()));
        adminConnection = admin.connect();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        clients.close();
        loops.close();
        if (admin != null) {
            adminConnection.close();
            admin.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private Node node(Consumer<RedisRoomEngine.Builder> options) throws Exception {
        return node(RedisURI.create(redis.url()), options);
    }

    private Node node(RedisURI uri, Consumer<RedisRoomEngine.Builder> options) throws Exception {
        Node n = new Node(loops, uri, options);
        open.add(n);
        return n;
    }

    private Node node() throws Exception {
        return node(b -> { });
    }

    private Member member(Node node) throws Exception {
        Member m = new Member(clients, node);
        open.add(m);
        return m;
    }

    @Test
    void concurrentPublishersOnBothNodesGiveEveryMemberOneOrder() throws Exception {
        Node a = node();
        Node b = node();
        List<Member> members = new ArrayList<>();
        for (Node n : List.of(a, b, a, b)) {
            Member m = member(n);
            assertEquals(0, m.join("order", -1));
            members.add(m);
        }
        int perSender = 50;
        List<CompletableFuture<?>> senders = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            Node via = s % 2 == 0 ? a : b;
            String who = "s" + s;
            senders.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perSender; i++) {
                    via.say("order", who + "-" + i).join();
                }
            }));
        }
        CompletableFuture.allOf(senders.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        List<String> first = null;
        for (Member m : members) {
            List<String> got = new ArrayList<>();
            for (int i = 1; i <= 4 * perSender; i++) {
                String msg = m.next();
                assertTrue(msg.startsWith(i + " "), "message " + i + " carries its number: " + msg);
                got.add(msg);
            }
            if (first == null) {
                first = got;
            } else {
                assertEquals(first, got, "every member, on either node, sees the identical sequence");
            }
        }
        for (int s = 0; s < 4; s++) {
            int expected = 0;
            for (String msg : first) {
                if (msg.contains(" s" + s + "-")) {
                    assertTrue(msg.endsWith(" s" + s + "-" + expected), "a sender's own order kept: " + msg);
                    expected++;
                }
            }
            assertEquals(perSender, expected);
        }
    }

    @Test
    void resumeOnTheOtherNodeReplaysFromRedisThenGoesLive() throws Exception {
        Node a = node();
        Node b = node();
        Member alice = member(a);
        alice.join("talk", -1);
        for (int i = 1; i <= 10; i++) {
            assertEquals(i, a.say("talk", "m" + i).get(10, TimeUnit.SECONDS));
            alice.expect(i, "m" + i);
        }
        Member bob = member(b);
        assertEquals(10, bob.join("talk", 3), "joined tells the room's latest number, read from Redis");
        for (int i = 4; i <= 10; i++) {
            bob.expect(i, "m" + i);
        }
        a.say("talk", "live");
        bob.expect(11, "live");
        alice.expect(11, "live");
        bob.expectNothing(200);
    }

    @Test
    void resumeWhileTheRoomIsBusyHasNoHoleAndNoDuplicate() throws Exception {
        Node a = node(e -> e.historyCount(1000));
        Node b = node(e -> e.historyCount(1000));
        Member alice = member(a);
        alice.join("busy", -1);
        Member watcher = member(b); // node b already delivers the room live while bob's resume reads history
        watcher.join("busy", -1);
        int total = 400;
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            List<CompletableFuture<Long>> sent = new ArrayList<>();
            for (int i = 1; i <= total; i++) {
                sent.add(a.say("busy", "m" + i));
            }
            CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).join();
        });
        for (int i = 1; i <= 50; i++) {
            alice.expect(i, "m" + i);
            watcher.expect(i, "m" + i); // node b has delivered past bob's resume point before he joins
        }
        Member bob = member(b);
        long joinedAt = bob.join("busy", 20);
        assertTrue(joinedAt >= 50, "joined at " + joinedAt);
        for (int i = 21; i <= total; i++) {
            bob.expect(i, "m" + i);
        }
        publishing.get(60, TimeUnit.SECONDS);
        bob.expectNothing(200);
    }

    /**
     * Cuts every node's pub/sub connection off and keeps it from coming back (new connections must authenticate)
     * until {@code requirepass} is cleared; the command connections stay up.
     */
    private void cutPubSubOff() {
        adminConnection.sync().configSet("requirepass", "hush");
        adminConnection.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
    }

    @Test
    void resumeOnANodeBehindWaitsForItAndRepeatsNothing() throws Exception {
        Node a = node();
        Node b = node();
        Member watcher = member(b);
        watcher.join("lag", -1);
        a.say("lag", "m1").get(10, TimeUnit.SECONDS);
        watcher.expect(1, "m1");
        cutPubSubOff(); // node b stays at 1 while the room goes on
        for (int i = 2; i <= 6; i++) {
            assertEquals(i, a.say("lag", "m" + i).get(10, TimeUnit.SECONDS));
        }
        // bob saw 1..6 through node a and resumes on node b, which has delivered only 1.
        Member bob = member(b);
        assertEquals(6, bob.join("lag", 6), "attached once node b delivered up to bob's point");
        for (int i = 2; i <= 6; i++) {
            watcher.expect(i, "m" + i); // read from history for bob's resume, before the channel came back
        }
        // A resume point beyond the room (a room Redis forgot) attaches at once, at what the node delivered.
        Member carol = member(b);
        assertEquals(6, carol.join("lag", 1000));
        adminConnection.sync().configSet("requirepass", "");
        a.say("lag", "after").get(10, TimeUnit.SECONDS);
        bob.expect(7, "after");
        carol.expect(7, "after");
        watcher.expect(7, "after");
        bob.expectNothing(200);
        carol.expectNothing(0);
    }

    @Test
    void resumeBeyondHistoryReportsTheGap() throws Exception {
        Node a = node(e -> e.historyCount(5));
        Node b = node(e -> e.historyCount(5));
        for (int i = 1; i <= 10; i++) {
            a.say("short", "m" + i).get(10, TimeUnit.SECONDS);
        }
        Member bob = member(b);
        assertEquals(10, bob.join("short", 2));
        assertEquals("gap 3 5", bob.next());
        for (int i = 6; i <= 10; i++) {
            bob.expect(i, "m" + i);
        }
    }

    @Test
    void roomNamesAreDataNeverKeysOrPatterns() throws Exception {
        Node a = node();
        Node b = node();
        List<String> names = List.of("*", "a*", "{x}", "}{", "with space", "new\nline", "ünïcödé 😀", "?[ab]",
                "duplex:x");
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Member m = member(i % 2 == 0 ? a : b);
            m.join(names.get(i), -1);
            members.add(m);
        }
        for (int i = 0; i < names.size(); i++) {
            (i % 2 == 0 ? b : a).say(names.get(i), "to " + i).get(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < names.size(); i++) {
            members.get(i).expect(1, "to " + i);
            members.get(i).expectNothing(100);
        }
        Pattern safe = Pattern.compile("duplex:\\{[A-Za-z0-9_-]+\\}:(seq|log)");
        List<String> keys = adminConnection.sync().keys("*");
        assertEquals(2 * names.size(), keys.size(), "a counter and a history per room: " + keys);
        for (String k : keys) {
            assertTrue(safe.matcher(k).matches(), "key built from the prefix and an encoding only: " + k);
        }
    }

    @Test
    void aNodeSubscribesOnlyToRoomsWithLocalMembers() throws Exception {
        Node a = node();
        Node b = node();
        Member m = member(a);
        m.join("here", -1);
        eventually(() -> adminConnection.sync().pubsubChannels().size() == 1, "one channel subscribed");
        assertEquals(1L, adminConnection.sync().pubsubNumsub(adminConnection.sync().pubsubChannels().get(0))
                .values().iterator().next(), "only node a subscribes");
        b.say("here", "x").get(10, TimeUnit.SECONDS);
        m.expect(1, "x");
        m.leave("here");
        eventually(() -> adminConnection.sync().pubsubChannels().isEmpty(), "unsubscribed after the last leave");
    }

    @Test
    void aSubscriptionCutOffFillsWhatItMissedFromHistoryOrReportsTheGap() throws Exception {
        Node a = node(e -> e.historyCount(5));
        Node b = node(e -> e.historyCount(5));
        Member bob = member(b);
        bob.join("cut", -1);
        Member alice = member(a);
        alice.join("cut", -1);
        a.say("cut", "before").get(10, TimeUnit.SECONDS);
        bob.expect(1, "before");
        cutPubSubOff();
        for (int i = 2; i <= 21; i++) {
            a.say("cut", "m" + i).get(10, TimeUnit.SECONDS);
        }
        adminConnection.sync().configSet("requirepass", "");
        // bob's node resubscribes and reads the hole: history keeps 17..21, so 2..16 is a gap.
        assertEquals("gap 2 16", bob.next());
        for (int i = 17; i <= 21; i++) {
            bob.expect(i, "m" + i);
        }
        a.say("cut", "after").get(10, TimeUnit.SECONDS);
        bob.expect(22, "after");
    }

    @Test
    void redisKilledAndRestartedNodesServeLocallyFailFastAndRecover() throws Exception {
        Node a = node(e -> e.commandTimeout(java.time.Duration.ofSeconds(1)));
        Node b = node(e -> e.commandTimeout(java.time.Duration.ofSeconds(1)));
        Member alice = member(a);
        Member bob = member(b);
        alice.join("live", -1);
        bob.join("live", -1);
        for (int i = 1; i <= 3; i++) {
            a.say("live", "m" + i).get(10, TimeUnit.SECONDS);
            alice.expect(i, "m" + i);
            bob.expect(i, "m" + i);
        }
        redis.kill();
        eventually(() -> {
            try {
                a.say("live", "lost").get(10, TimeUnit.SECONDS);
                return false;
            } catch (ExecutionException e) {
                assertInstanceOf(RedisRoomException.class, e.getCause());
                return true;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "publishes fail with a RedisRoomException while Redis is down");
        // The node keeps serving its connections: a new member joins locally and is greeted.
        Member carol = member(a);
        assertEquals(3, carol.join("live", -1), "joined from what the node knows");
        redis.restart();
        // Reconnected and resubscribed by themselves; the counter continues from what the publisher knew.
        eventually(() -> {
            try {
                return a.say("live", "back").get(10, TimeUnit.SECONDS) > 0;
            } catch (Exception e) {
                return false;
            }
        }, "publishing works again");
        String afterA = alice.next();
        String afterB = bob.next();
        assertTrue(afterA.startsWith("4 back"), afterA);
        assertEquals(afterA, afterB, "both nodes deliver the first message after the restart");
        assertEquals(afterA, carol.next());
    }

    /**
     * Repeated because the race it guards is timing-dependent: each node's two connections reconnect on their own
     * backoff, so the pub/sub one (which triggers the resync) often comes back before the command one (which
     * carries the baseline script); the node must retry the baseline, not give up.
     */
    @RepeatedTest(5)
    void afterRedisRestartsEmptyNumbersContinueEvenFromANodeWithoutMembers() throws Exception {
        Node a = node();
        Node b = node();
        Member alice = member(a);
        alice.join("keep", -1);
        for (int i = 1; i <= 3; i++) {
            b.say("keep", "m" + i).get(10, TimeUnit.SECONDS);
            alice.expect(i, "m" + i);
        }
        redis.kill();
        redis.restart();
        // Node a resubscribes and raises the lost counter to the number it delivered, once both of its connections
        // are back.
        eventually(() -> {
            try {
                return "3".equals(adminConnection.sync().get(new RoomKeys("duplex:").seq("keep")));
            } catch (RuntimeException reconnecting) {
                return false;
            }
        }, "the counter restored by the node with members");
        // Node b has no member in the room, so no number of its own to continue from. It reconnects on its own
        // schedule; until then a publish fails fast and publishes nothing, so it is simply tried again.
        long[] seq = {0};
        eventually(() -> {
            try {
                seq[0] = b.say("keep", "after").get(10, TimeUnit.SECONDS);
                return true;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RedisRoomException) {
                    return false;
                }
                throw new AssertionError(e);
            } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError(e);
            }
        }, "node b to reach Redis again");
        assertEquals(4L, seq[0]);
        alice.expect(4, "after");
    }

    /**
     * Redis loses the publish script under a live connection (SCRIPT FLUSH; a restart the client has not noticed
     * yet looks the same): the publish that finds it gone fails with a clear error instead of being repeated
     * behind later ones, and the next publish sends the script whole and takes the next number.
     */
    @Test
    void aPublishThatFindsTheScriptGoneFailsAndTheNextKeepsTheOrder() throws Exception {
        Node a = node();
        Member alice = member(a);
        alice.join("flush", -1);
        assertEquals(1L, a.say("flush", "one").get(10, TimeUnit.SECONDS));
        alice.expect(1, "one");
        assertEquals("OK", adminConnection.sync().scriptFlush());
        java.util.concurrent.ExecutionException lost = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> a.say("flush", "lost").get(10, TimeUnit.SECONDS));
        assertInstanceOf(RedisRoomException.class, lost.getCause());
        assertTrue(lost.getCause().getMessage().contains("no longer held the script"), lost.getCause().getMessage());
        assertEquals(2L, a.say("flush", "two").get(10, TimeUnit.SECONDS));
        alice.expect(2, "two");
        alice.expectNothing(200);
    }

    /** The ACL rules that docs/scaling.md gives: the engine and presence need nothing more. */
    static final String ACL = "on >s3cret resetkeys ~duplex:* resetchannels &duplex:* -@all +@connection"
            + " +evalsha +eval +get +xrange +publish +subscribe +unsubscribe +hset +hdel +hvals +sadd"
            + " +incr +set +xadd +xdel +pexpire +time +zadd +zrangebyscore +smembers +hgetall +hkeys +del +zrem";

    @Test
    void anAclUserWithAPasswordAndOnlyTheDocumentedPermissionsSuffices() throws Exception {
        adminConnection.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add("duplex").addValues(ACL.split(" ")));
        RedisURI user = RedisURI.create(redis.url().replace("redis://", "redis://duplex:s3cret@"));
        Node a = node(user, e -> { });
        Node b = node(user, e -> { });
        BlockingQueue<String> swept = new LinkedBlockingQueue<>();
        try (RedisPresence pa = RedisPresence.create(a.engine, Duration.ofMillis(100), Duration.ofSeconds(1),
                (room, label) -> swept.add(room + " " + label));
                RedisPresence pb = RedisPresence.create(b.engine, Duration.ofMillis(100), Duration.ofSeconds(1),
                        (room, label) -> swept.add(room + " " + label))) {
            Member alice = member(a);
            alice.join("acl", -1);
            a.say("acl", "one").get(10, TimeUnit.SECONDS);
            alice.expect(1, "one");
            Member bob = member(b);
            assertEquals(1, bob.join("acl", 0));
            bob.expect(1, "one");
            pa.joined(a.rooms.membership(a.takeAccepted(), "acl"));
            pb.joined(b.rooms.membership(b.takeAccepted(), "acl"));
            eventually(() -> pa.members("acl").join().size() == 2, "both nodes' members listed");
            pb.close(); // node b stops beating: after the ttl, node a sweeps its member
            assertEquals("acl null", swept.poll(20, TimeUnit.SECONDS));
            assertEquals(1, pa.members("acl").join().size());
        }
        RedisURI wrong = RedisURI.create(redis.url().replace("redis://", "redis://duplex:wrong@"));
        RedisConnectionException e = assertThrows(RedisConnectionException.class, () -> RedisRoomEngine.create(wrong));
        assertTrue(String.valueOf(e.getCause()).contains("WRONGPASS"), "a clear cause: " + e.getCause());
    }
}
