package io.duplex.examples.chat;

import static io.duplex.examples.chat.ChromiumPages.awaitConnected;
import static io.duplex.examples.chat.ChromiumPages.awaitLog;
import static io.duplex.examples.chat.ChromiumPages.awaitMessages;
import static io.duplex.examples.chat.ChromiumPages.join;
import static io.duplex.examples.chat.ChromiumPages.messages;
import static io.duplex.examples.chat.ChromiumPages.say;
import static io.duplex.examples.chat.ChromiumPages.seq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.duplex.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The chat page in real browsers through a real load balancer (issue 15): two headless Chromium pages load the
 * page and open its WebSocket through HAProxy or nginx (round-robin, no sticky sessions, the configurations of
 * docs/scaling.md) in front of two chat node processes on one real redis-server. Each missing program
 * (chromium, haproxy or nginx, redis-server) skips the test on a developer machine and fails it when
 * {@code CI=true}.
 */
class ChatClusterBrowserTest {

    private final ChromiumPages pages = new ChromiumPages();
    private final List<ChatNode> nodes = new ArrayList<>();
    private RedisServer redis;

    @BeforeEach
    void requireChromium() {
        ChromiumPages.require();
    }

    @AfterEach
    void stop() throws Exception {
        pages.close();
        for (ChatNode n : nodes) {
            n.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** How many of each node's connections are open: waits until they add up to {@code total}. */
    private List<Integer> connectionsPerNode(int total) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (;;) {
            List<Integer> counts = new ArrayList<>();
            for (ChatNode n : nodes) {
                counts.add(n.openConnections());
            }
            if (counts.stream().mapToInt(Integer::intValue).sum() == total) {
                return counts;
            }
            if (System.nanoTime() > deadline) {
                fail("the nodes' open connections did not add up to " + total + " within 30 s: " + counts);
            }
            Thread.sleep(50);
        }
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.Kind.class)
    void twoPagesThroughALoadBalancerOnDifferentNodesSeeOneOrderAndResumeAfterAReload(LoadBalancer.Kind kind)
            throws Exception {
        redis = RedisServer.start();
        nodes.add(new ChatNode(redis.url(), true));
        nodes.add(new ChatNode(redis.url(), true));
        try (LoadBalancer lb = LoadBalancer.start(kind, nodes.get(0).port(), nodes.get(1).port())) {
            WebDriver alice = pages.open(lb.pageUrl());
            awaitConnected(alice);
            WebDriver bob = pages.open(lb.pageUrl());
            awaitConnected(bob);

            // Round-robin counts every request, the page's own and the browser's (a favicon), so where a
            // page's WebSocket lands depends on how many went before it. Until the nodes report one connection
            // each, bob reloads, half the time after one more request through the balancer shifts the turn.
            HttpClient http = HttpClient.newHttpClient();
            List<Integer> counts = connectionsPerNode(2);
            for (int attempt = 0; attempt < 8 && !counts.equals(List.of(1, 1)); attempt++) {
                if (attempt % 2 == 0) {
                    http.send(HttpRequest.newBuilder(URI.create(lb.pageUrl())).timeout(Duration.ofSeconds(10))
                            .build(), HttpResponse.BodyHandlers.discarding());
                }
                bob.navigate().refresh();
                awaitConnected(bob);
                counts = connectionsPerNode(2);
            }
            assertEquals(List.of(1, 1), counts, "the two pages' WebSockets are on different nodes");

            join(alice, "alice", "lobby");
            awaitLog(alice, "joined lobby at #0");
            join(bob, "bob", "lobby");
            awaitLog(bob, "joined lobby at #0");
            awaitLog(alice, "bob joined lobby");

            // Both speak at once, each on its own node: both pages show all ten in one order, numbered 1 to 10.
            int each = 5;
            for (int i = 1; i <= each; i++) {
                say(alice, "a" + i);
                say(bob, "b" + i);
            }
            List<String> atAlice = awaitMessages(alice, 2 * each);
            List<String> atBob = awaitMessages(bob, 2 * each);
            assertEquals(atAlice, atBob, "both pages, on different nodes, show the room in one order");
            for (int i = 0; i < atAlice.size(); i++) {
                assertEquals(i + 1, seq(atAlice.get(i)), "numbered 1, 2, 3, ... with no hole: " + atAlice);
            }
            for (int i = 1; i <= each; i++) {
                String a = "alice: a" + i;
                String b = "bob: b" + i;
                assertEquals(1, atAlice.stream().filter(l -> l.endsWith(a)).count(), a + " once in " + atAlice);
                assertEquals(1, atAlice.stream().filter(l -> l.endsWith(b)).count(), b + " once in " + atAlice);
            }

            // bob leaves the page for a while, the room goes on, and bob comes back: the page remembers in its
            // tab's sessionStorage where it was, reconnects through the balancer to whichever node, and shows
            // exactly what it missed, then the live messages, with no hole, no duplicate and no gap notice.
            bob.get("about:blank");
            assertEquals(1, connectionsPerNode(1).stream().mapToInt(Integer::intValue).sum());
            awaitLog(alice, "bob left lobby");
            say(alice, "while you were away");
            say(alice, "still away");
            awaitMessages(alice, 2 * each + 2);
            bob.get(lb.pageUrl());
            awaitConnected(bob);
            awaitLog(bob, "joined lobby at #" + (2 * each + 2));
            say(alice, "welcome back");
            List<String> back = awaitMessages(bob, 3);
            assertEquals(List.of("[lobby #11] alice: while you were away", "[lobby #12] alice: still away",
                    "[lobby #13] alice: welcome back"), back, "the missed messages, then the live one");
            assertFalse(bob.findElement(By.id("log")).getText().contains("missed messages"), "no gap notice");
            assertEquals(awaitMessages(alice, 2 * each + 3).subList(2 * each, 2 * each + 3), back,
                    "the same numbers and order as on alice's page");
        }
    }
}
