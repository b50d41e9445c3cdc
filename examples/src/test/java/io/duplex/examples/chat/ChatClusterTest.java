package io.duplex.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.WebSocketClient;
import io.duplex.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chat example as a cluster (issue 15): nodes are separate JVM processes running
 * {@code chat --redis redis://127.0.0.1:PORT} on one real redis-server, and clients speak the chat protocol to
 * different nodes.
 */
class ChatClusterTest {

    private final EventLoopGroup clientLoops = EventLoopGroup.create(2);
    private final WebSocketClient clients = WebSocketClient.builder().loops(clientLoops).build();
    private final List<ChatClient> open = new ArrayList<>();
    private final List<ChatNode> nodes = new ArrayList<>();
    private RedisServer redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        open.forEach(ChatClient::close);
        for (ChatNode n : nodes) {
            n.close();
        }
        clientLoops.close();
        if (redis != null) {
            redis.close();
        }
    }

    private List<ChatNode> nodes(int n) throws Exception {
        List<CompletableFuture<ChatNode>> starting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new ChatNode(redis.url());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<ChatNode> started = new ArrayList<>();
        for (CompletableFuture<ChatNode> f : starting) {
            ChatNode node = f.get(90, TimeUnit.SECONDS);
            nodes.add(node);
            started.add(node);
        }
        return started;
    }

    private ChatClient client(ChatNode node) throws Exception {
        ChatClient c = new ChatClient(clients, node.url());
        open.add(c);
        return c;
    }

    /** A client of {@code node} that joined {@code room} as {@code nick} and was answered. */
    private ChatClient member(ChatNode node, String room, String nick) throws Exception {
        ChatClient c = client(node);
        c.join(room, nick);
        nextOp(c, "joined");
        return c;
    }

    /** The next message that is not a presence notice. */
    private static JsonNode nextNotPresence(ChatClient c) throws InterruptedException {
        for (;;) {
            JsonNode n = c.next();
            if (!n.path("op").asText().equals("presence")) {
                return n;
            }
        }
    }

    /** The next message that is not a presence notice, which must have {@code op}. */
    private static JsonNode nextOp(ChatClient c, String op) throws InterruptedException {
        JsonNode n = nextNotPresence(c);
        assertEquals(op, n.path("op").asText(), "expected " + op + ", got " + n);
        return n;
    }

    @Test
    void concurrentSendersOnThreeNodesGiveEveryMemberOneOrder() throws Exception {
        List<ChatNode> three = nodes(3);
        List<ChatClient> members = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ChatClient c = client(three.get(i % 3));
            c.join("order", "m" + i);
            nextOp(c, "joined");
            members.add(c);
        }
        int each = 25;
        List<CompletableFuture<?>> sending = new ArrayList<>();
        for (ChatClient c : members) {
            sending.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    c.say("order", "t" + i);
                }
            }));
        }
        CompletableFuture.allOf(sending.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        List<String> first = null;
        for (ChatClient c : members) {
            List<String> seen = new ArrayList<>();
            for (int i = 1; i <= each * members.size(); i++) {
                JsonNode m = nextOp(c, "message");
                assertEquals(i, m.get("seq").asLong(), "strictly increasing by one: " + m);
                seen.add(m.get("nick").asText() + ":" + m.get("text").asText());
            }
            if (first == null) {
                first = seen;
            } else {
                assertEquals(first, seen, "every member, on every node, sees the identical sequence");
            }
        }
    }

    @Test
    void resumeOnAnotherNodeWithoutLossOrDuplicate() throws Exception {
        List<ChatNode> two = nodes(2);
        ChatClient alice = member(two.get(0), "resume", "alice");
        ChatClient bob = member(two.get(1), "resume", "bob");
        for (int i = 1; i <= 5; i++) {
            alice.say("resume", "a" + i);
            assertEquals(i, nextOp(alice, "message").get("seq").asLong());
        }
        alice.close();
        for (int i = 6; i <= 8; i++) {
            bob.say("resume", "b" + i);
        }
        for (int i = 1; i <= 8; i++) {
            assertEquals(i, nextOp(bob, "message").get("seq").asLong());
        }
        // alice comes back on the other node and resumes after the last number she saw.
        ChatClient again = client(two.get(1));
        again.send("op", "join", "room", "resume", "nick", "alice", "since", 5);
        assertEquals(8, nextOp(again, "joined").get("seq").asLong());
        for (int i = 6; i <= 8; i++) {
            JsonNode m = nextOp(again, "message");
            assertEquals(i, m.get("seq").asLong());
            assertEquals("b" + i, m.get("text").asText());
        }
        bob.say("resume", "live");
        JsonNode live = nextOp(again, "message");
        assertEquals(9, live.get("seq").asLong(), "then live, no duplicate and no hole");
        assertEquals("live", live.get("text").asText());
    }

    @Test
    void presenceSpansNodesAndADeadNodesMembersLeave() throws Exception {
        List<ChatNode> two = nodes(2);
        ChatClient alice = member(two.get(0), "p", "alice");
        ChatClient bob = member(two.get(1), "p", "bob");
        JsonNode joined = alice.next("presence");
        assertEquals("bob", joined.get("nick").asText(), "a join on the other node is announced");
        assertEquals("join", joined.get("event").asText());
        bob.send("op", "who", "room", "p");
        assertEquals("[\"alice\",\"bob\"]", nextOp(bob, "members").get("nicks").toString());

        two.get(0).kill();
        long killed = System.nanoTime();
        JsonNode left = bob.next("presence");
        assertEquals("alice", left.get("nick").asText());
        assertEquals("leave", left.get("event").asText());
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
        assertTrue(seconds < 20, "the dead node's member left in " + seconds + " s");
        bob.send("op", "who", "room", "p");
        assertEquals("[\"bob\"]", nextOp(bob, "members").get("nicks").toString());
    }

    @Test
    void redisKilledAndRestartedMidConversation() throws Exception {
        List<ChatNode> two = nodes(2);
        ChatClient alice = member(two.get(0), "r", "alice");
        ChatClient bob = member(two.get(1), "r", "bob");
        alice.say("r", "one");
        assertEquals(1, nextOp(bob, "message").get("seq").asLong());
        assertEquals(1, nextOp(alice, "message").get("seq").asLong());

        redis.kill();
        alice.say("r", "into the void");
        JsonNode error = nextOp(alice, "error");
        assertTrue(error.get("reason").asText().contains("not sent"), error.toString());

        redis.restart();
        // Nodes reconnect by themselves; keep saying until a message gets through.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode back = null;
        while (back == null) {
            if (System.nanoTime() > deadline) {
                fail("no message got through within 30 s of Redis's restart");
            }
            alice.say("r", "back");
            JsonNode n = nextNotPresence(alice);
            if (n.path("op").asText().equals("message")) {
                back = n;
            } else {
                Thread.sleep(200);
            }
        }
        assertEquals(2, back.get("seq").asLong(), "numbering continues from what the nodes knew");
        JsonNode atBob = nextOp(bob, "message");
        assertEquals(2, atBob.get("seq").asLong());
        assertEquals("back", atBob.get("text").asText());
        // Redis came back empty: each node writes its members again at its next heartbeat.
        long whoDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String nicks = "";
        while (!nicks.equals("[\"alice\",\"bob\"]")) {
            if (System.nanoTime() > whoDeadline) {
                fail("presence not rewritten within 30 s: " + nicks);
            }
            Thread.sleep(100);
            bob.send("op", "who", "room", "r");
            JsonNode n = nextNotPresence(bob);
            nicks = n.path("op").asText().equals("members") ? n.get("nicks").toString() : n.toString();
        }
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.Kind.class)
    void behindALoadBalancerRoundRobinClientsTalkAcrossNodesAndResumeElsewhere(LoadBalancer.Kind kind)
            throws Exception {
        List<ChatNode> two = nodes(2);
        try (LoadBalancer lb = LoadBalancer.start(kind, two.get(0).port(), two.get(1).port())) {
            ChatClient a = new ChatClient(clients, lb.url());
            open.add(a);
            ChatClient b = new ChatClient(clients, lb.url());
            open.add(b);
            a.join("lb", "alice");
            nextOp(a, "joined");
            b.join("lb", "bob");
            nextOp(b, "joined");
            a.say("lb", "hi");
            assertEquals("hi", nextOp(b, "message").get("text").asText());
            b.say("lb", "hello");
            assertEquals(1, nextOp(a, "message").get("seq").asLong());
            assertEquals(2, nextOp(a, "message").get("seq").asLong());
            assertEquals(2, nextOp(b, "message").get("seq").asLong());

            // Round-robin put them on different nodes: killing the first node drops exactly one of them.
            two.get(0).kill();
            CompletableFuture.anyOf(a.closed, b.closed).get(20, TimeUnit.SECONDS);
            assertTrue(a.closed.isDone() != b.closed.isDone(), "exactly one client was on the killed node");
            ChatClient survivor = a.closed.isDone() ? b : a;
            String dropped = a.closed.isDone() ? "alice" : "bob";
            survivor.say("lb", "while you were away");
            assertEquals(3, nextOp(survivor, "message").get("seq").asLong());

            // The dropped one reconnects through the proxy (to the node still alive) and resumes.
            ChatClient back = new ChatClient(clients, lb.url());
            open.add(back);
            back.send("op", "join", "room", "lb", "nick", dropped, "since", 2);
            assertEquals(3, nextOp(back, "joined").get("seq").asLong());
            JsonNode missed = nextOp(back, "message");
            assertEquals(3, missed.get("seq").asLong());
            assertEquals("while you were away", missed.get("text").asText());
        }
    }
}
