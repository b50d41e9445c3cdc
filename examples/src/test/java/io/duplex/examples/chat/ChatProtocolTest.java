package io.duplex.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.duplex.core.CloseStatus;
import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.SlowMemberPolicy;
import io.duplex.nio.WebSocketClient;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The chat protocol of issue 14, end to end: several duplex clients on a server with three event loops. */
class ChatProtocolTest {

    private final EventLoopGroup clientLoops = EventLoopGroup.create(2);
    private final WebSocketClient clients = WebSocketClient.builder().loops(clientLoops).build();
    private final List<ChatClient> open = new ArrayList<>();
    private ChatServer chat;

    private void start(ChatServer.Options options) throws Exception {
        chat = ChatServer.start(options.loops(3));
    }

    private ChatClient client() throws Exception {
        ChatClient c = new ChatClient(clients, chat.socketUrl());
        open.add(c);
        return c;
    }

    @AfterEach
    void stop() {
        open.forEach(ChatClient::close);
        if (chat != null) {
            chat.close();
        }
        clientLoops.close();
    }

    private static long seq(JsonNode n) {
        return n.get("seq").asLong();
    }

    @Test
    void aNewRoomStartsAtZeroAndSendersGetTheirOwnMessages() throws Exception {
        start(ChatServer.Options.loopback());
        ChatClient a = client();
        a.join("r", "alice");
        JsonNode joined = a.next("joined");
        assertEquals("r", joined.get("room").asText());
        assertEquals(0, seq(joined));
        a.say("r", "hello");
        JsonNode m = a.next("message");
        assertEquals("r", m.get("room").asText());
        assertEquals("alice", m.get("nick").asText());
        assertEquals("hello", m.get("text").asText());
        assertEquals(1, seq(m));
        ChatClient b = client();
        b.join("r", "bob");
        assertEquals(1, seq(b.next("joined")), "joined tells the room's latest sequence number");
        JsonNode p = a.next("presence");
        assertEquals("bob", p.get("nick").asText());
        assertEquals("join", p.get("event").asText());
        b.expectNothing(200); // no presence about oneself, no old message without since
    }

    @Test
    void roomsAreIsolatedAndConcurrentSendersGiveOneOrder() throws Exception {
        start(ChatServer.Options.loopback());
        List<ChatClient> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ChatClient c = client();
            c.join("order", "m" + i);
            c.next("joined");
            members.add(c);
        }
        for (int i = 0; i < members.size(); i++) { // each hears of those who joined after it
            for (int later = i + 1; later < members.size(); later++) {
                assertEquals("m" + later, members.get(i).next("presence").get("nick").asText());
            }
        }
        ChatClient other = client();
        other.join("elsewhere", "x");
        other.next("joined");
        int perSender = 100;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            ChatClient sender = members.get(s);
            int id = s;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perSender; i++) {
                    sender.say("order", id + "-" + i);
                }
            });
            t.start();
            senders.add(t);
        }
        go.countDown();
        for (Thread t : senders) {
            t.join(20_000);
        }
        int total = 3 * perSender;
        List<String> first = null;
        for (ChatClient c : members) {
            List<String> seen = new ArrayList<>();
            for (int i = 1; i <= total; i++) {
                JsonNode m = c.next("message");
                assertEquals(i, seq(m), "strictly increasing by 1");
                seen.add(m.get("text").asText());
            }
            if (first == null) {
                first = seen;
            } else {
                assertEquals(first, seen, "every member sees the identical order");
            }
        }
        for (int s = 0; s < 3; s++) { // each sender's own messages keep its order
            int last = -1;
            for (String t : first) {
                if (t.startsWith(s + "-")) {
                    int i = Integer.parseInt(t.substring(2));
                    assertEquals(last + 1, i);
                    last = i;
                }
            }
        }
        other.expectNothing(200);
    }

    @Test
    void presenceWhoLeaveAndClose() throws Exception {
        start(ChatServer.Options.loopback());
        ChatClient a = client();
        ChatClient b = client();
        ChatClient c = client();
        a.join("r", "alice");
        a.next("joined");
        b.join("r", "bob");
        b.next("joined");
        assertEquals("bob", a.next("presence").get("nick").asText());
        c.join("r", "carol");
        c.next("joined");
        a.next("presence");
        b.next("presence");
        a.send("op", "who", "room", "r");
        JsonNode who = a.next("members");
        assertEquals("[\"alice\",\"bob\",\"carol\"]", who.get("nicks").toString());

        b.send("op", "leave", "room", "r");
        JsonNode left = a.next("presence");
        assertEquals("bob", left.get("nick").asText());
        assertEquals("leave", left.get("event").asText());
        c.next("presence");
        a.say("r", "after bob left");
        a.next("message");
        c.next("message");
        b.expectNothing(300); // nothing more of the room to the leaver, not even its own leave

        c.close(); // abrupt
        JsonNode gone = a.next("presence");
        assertEquals("carol", gone.get("nick").asText());
        assertEquals("leave", gone.get("event").asText());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String nicks;
        do {
            a.send("op", "who", "room", "r");
            nicks = a.next("members").get("nicks").toString();
        } while (!nicks.equals("[\"alice\"]") && System.nanoTime() < deadline);
        assertEquals("[\"alice\"]", nicks, "a closed connection is out of who within 5 s");
    }

    @Test
    void resumeReplaysKeptMessagesOrReportsTheGap() throws Exception {
        start(ChatServer.Options.loopback().history(5));
        ChatClient a = client();
        a.join("r", "alice");
        a.next("joined");
        for (int i = 1; i <= 10; i++) {
            a.say("r", "m" + i);
            assertEquals(i, seq(a.next("message")));
        }
        ChatClient near = client();
        near.send("op", "join", "room", "r", "nick", "near", "since", 7);
        assertEquals(10, seq(near.next("joined")));
        for (int i = 8; i <= 10; i++) {
            JsonNode m = near.next("message");
            assertEquals(i, seq(m));
            assertEquals("m" + i, m.get("text").asText());
        }
        ChatClient far = client();
        far.send("op", "join", "room", "r", "nick", "far", "since", 2);
        assertEquals(10, seq(far.next("joined")));
        JsonNode gap = far.next("gap");
        assertEquals(3, gap.get("from").asLong(), "from is the first missing number");
        assertEquals(5, gap.get("to").asLong(), "to is the last missing number, inclusive");
        for (int i = 6; i <= 10; i++) {
            assertEquals(i, seq(far.next("message")));
        }
        far.expectNothing(200);
    }

    @Test
    void resumeWhileOthersSpeakHasNoDuplicateAndNoHole() throws Exception {
        start(ChatServer.Options.loopback().history(10_000));
        ChatClient a = client();
        a.join("r", "alice");
        a.next("joined");
        for (int i = 0; i < 20; i++) {
            a.say("r", "before " + i);
        }
        int during = 200;
        Thread talker = new Thread(() -> {
            for (int i = 0; i < during; i++) {
                a.say("r", "during " + i);
            }
        });
        ChatClient b = client();
        talker.start();
        b.send("op", "join", "room", "r", "nick", "bob", "since", 5);
        talker.join(20_000);
        long latest = seq(b.next("joined"));
        assertTrue(latest >= 5);
        for (long expect = 6; expect <= 20 + during; expect++) {
            assertEquals(expect, seq(b.next("message")), "replay then live, contiguous");
        }
        b.expectNothing(200);
    }

    @Test
    void badRequestsGetOneErrorAndTheConnectionStaysOpen() throws Exception {
        start(ChatServer.Options.loopback());
        ChatClient a = client();
        String n64 = "n".repeat(64);
        String r64 = "r".repeat(64);
        String t4096 = "t".repeat(4096);
        a.ws.sendText("{not json");
        assertEquals("malformed JSON", a.next("error").get("reason").asText());
        a.send("op", "dance", "room", "r");
        assertTrue(a.next("error").get("reason").asText().contains("unknown op"));
        a.say("r", "hi");
        assertTrue(a.next("error").get("reason").asText().contains("not in room"));
        a.join("r", n64 + "x");
        assertTrue(a.next("error").get("reason").asText().contains("nick over 64"));
        a.join(r64 + "x", "n");
        assertTrue(a.next("error").get("reason").asText().contains("room over 64"));
        a.send("op", "join", "room", "r");
        assertTrue(a.next("error").get("reason").asText().contains("nick"));
        a.ws.sendText("[1,2]");
        a.next("error");
        a.ws.sendBinary(ByteBuffer.wrap(new byte[] {1}));
        a.next("error");
        a.send("op", "leave", "room", "nowhere");
        a.next("error");
        a.join(r64, n64);
        assertEquals(r64, a.next("joined").get("room").asText(), "64 characters are accepted");
        a.say(r64, t4096 + "x");
        assertTrue(a.next("error").get("reason").asText().contains("text over 4096"));
        a.say(r64, t4096);
        JsonNode m = a.next("message");
        assertEquals(4096, m.get("text").asText().length(), "4,096 characters are accepted");
        assertEquals(n64, m.get("nick").asText());
        a.send("op", "join", "room", r64, "nick", "again");
        a.next("error");
        a.expectNothing(200); // exactly one error per bad request
        assertTrue(a.ws.isOpen());
    }

    @Test
    void aSlowMemberIsSkippedAndToldTheGap() throws Exception {
        start(ChatServer.Options.loopback().memberBacklog(64 * 1024));
        ChatClient a = client();
        a.join("r", "alice");
        a.next("joined");
        try (SlowSocket slow = new SlowSocket(chat.port())) {
            slow.sendText("{\"op\":\"join\",\"room\":\"r\",\"nick\":\"slow\"}");
            a.next("presence"); // the slow member is in
            // More than the kernel's socket buffers hold (loopback autotunes them to a few MiB), so the
            // server-side backlog of the member that does not read grows past the limit.
            int count = 2500;
            String text = "x".repeat(4000);
            for (int i = 1; i <= count; i++) {
                a.say("r", text);
                assertEquals(i, seq(a.next("message")), "the others are never slowed");
            }
            // The slow member reads everything now; one more message brings the gap notice first.
            List<Long> got = new ArrayList<>();
            JsonNode gap = null;
            assertEquals("joined", ChatClient.JSON.readTree(slow.readFrame().text()).get("op").asText());
            // Someone keeps talking: once the slow member has drained, a message reaches it after the gap notice.
            AtomicBoolean stop = new AtomicBoolean();
            Thread waker = new Thread(() -> {
                while (!stop.get()) {
                    a.say("r", "wake up");
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            waker.start();
            try {
                while (gap == null) {
                    assertTrue(got.size() <= count, "no gap after every message: the member was never skipped");
                    JsonNode n = ChatClient.JSON.readTree(slow.readFrame().text());
                    if (n.get("op").asText().equals("gap")) {
                        gap = n;
                    } else {
                        got.add(seq(n));
                    }
                }
            } finally {
                stop.set(true);
                waker.join(5_000);
            }
            JsonNode after = ChatClient.JSON.readTree(slow.readFrame().text());
            long from = gap.get("from").asLong();
            long to = gap.get("to").asLong();
            assertEquals(got.size() + 1, from, "received 1.." + got.size() + " in order, then the gap");
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i + 1, got.get(i));
            }
            assertTrue(to >= from && from <= count, "gap " + from + ".." + to);
            assertEquals(to + 1, seq(after), "the next message follows the gap exactly");
        }
    }

    @Test
    void aSlowMemberIsClosedWith1013WhenConfigured() throws Exception {
        start(ChatServer.Options.loopback().memberBacklog(64 * 1024).slowPolicy(SlowMemberPolicy.CLOSE_TRY_AGAIN_LATER));
        ChatClient a = client();
        a.join("r", "alice");
        a.next("joined");
        try (SlowSocket slow = new SlowSocket(chat.port())) {
            slow.sendText("{\"op\":\"join\",\"room\":\"r\",\"nick\":\"slow\"}");
            a.next("presence");
            String text = "x".repeat(4000);
            boolean left = false;
            for (int i = 1; i <= 2500; i++) {
                a.say("r", text);
                JsonNode n = a.next();
                if (n.get("op").asText().equals("presence")) {
                    assertEquals("leave", n.get("event").asText());
                    left = true;
                    n = a.next();
                }
                assertEquals(i, seq(n), "the others are never slowed");
            }
            SlowSocket.Frame f;
            do {
                f = slow.readFrame();
            } while (f.opcode() != 0x8);
            assertEquals(CloseStatus.TRY_AGAIN_LATER, f.closeCode());
            if (!left) {
                JsonNode n = a.next("presence");
                assertEquals("leave", n.get("event").asText());
            }
        }
    }
}
