package io.duplex.examples.ticker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.WebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ticker over real sockets: several clients on several loops, each seeing every tick in one order. */
class TickerTest {

    /** Bounds a hang only, on a loaded 2-core machine. */
    private static final long DEADLINE_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebSocketClient client;
    private final List<TickerServer> servers = new ArrayList<>();

    @BeforeEach
    void client() {
        client = WebSocketClient.builder().loops(2).build();
    }

    @AfterEach
    void stop() {
        client.close();
        servers.forEach(TickerServer::close);
    }

    private TickerServer start(int rate, int history) throws Exception {
        TickerServer s = TickerServer.start("127.0.0.1", 0, rate, history);
        servers.add(s);
        return s;
    }

    /** A dashboard client: every message it gets, parsed, in arrival order. */
    private static final class Dashboard implements WebSocketHandler {
        final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

        @Override
        public void onText(WebSocket ws, String text) {
            try {
                messages.add(JSON.readTree(text));
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        @Override
        public void onClose(WebSocket ws, CloseStatus status, boolean clean) {
            closed.complete(status);
        }

        JsonNode next() throws InterruptedException {
            JsonNode m = messages.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertTrue(m != null, "no tick within " + DEADLINE_SECONDS + " s");
            return m;
        }
    }

    private Dashboard connect(String url) throws Exception {
        Dashboard d = new Dashboard();
        client.connect(URI.create(url), d).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        return d;
    }

    @Test
    void everyClientInTheRoomReceivesStrictlyIncreasingSequenceNumbers() throws Exception {
        TickerServer ticker = start(500, 1000);
        List<Dashboard> dashboards = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            dashboards.add(connect(ticker.socketUrl()));
        }
        List<List<Long>> seen = new ArrayList<>();
        Map<Long, JsonNode> tickBySeq = new HashMap<>();
        for (Dashboard d : dashboards) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                JsonNode m = d.next();
                assertTrue(m.has("symbol") && m.get("price").isNumber() && m.get("time").isNumber(), m.toString());
                seqs.add(m.get("seq").asLong());
                // The same sequence number is the same tick for every client.
                JsonNode before = tickBySeq.putIfAbsent(m.get("seq").asLong(), m);
                assertTrue(before == null || before.equals(m), before + " and " + m);
            }
            for (int i = 1; i < seqs.size(); i++) {
                // Strictly increasing; and since nothing here is slow, with no hole either.
                assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "client " + dashboards.indexOf(d) + ": " + seqs);
            }
            seen.add(seqs);
        }
        long common = seen.stream().mapToLong(s -> s.get(0)).max().orElseThrow();
        assertTrue(seen.stream().allMatch(s -> s.get(s.size() - 1) >= common), "the clients' windows overlap");
        assertEquals(6, ticker.clients());
    }

    @Test
    void aClientThatResumesGetsTheTicksAfterSinceThenLiveOnes() throws Exception {
        TickerServer ticker = start(200, 1000);
        Dashboard first = connect(ticker.socketUrl());
        long latest = 0;
        for (int i = 0; i < 40; i++) {
            latest = first.next().get("seq").asLong();
        }
        long since = latest - 30;
        Dashboard resumed = connect(ticker.socketUrl() + "?since=" + since);
        for (long expected = since + 1; expected <= latest + 50; expected++) {
            JsonNode m = resumed.next();
            assertEquals(expected, m.get("seq").asLong(), m.toString());
        }
    }

    @Test
    void aResumeFromTicksNoLongerKeptIsToldTheGapFirst() throws Exception {
        TickerServer ticker = start(200, 5);
        Dashboard first = connect(ticker.socketUrl());
        long latest = 0;
        while (latest < 20) {
            latest = first.next().get("seq").asLong();
        }
        Dashboard late = connect(ticker.socketUrl() + "?since=2");
        JsonNode gap = late.next();
        assertTrue(gap.has("gap"), gap.toString());
        assertEquals(3, gap.get("gap").get("from").asLong(), gap.toString());
        long to = gap.get("gap").get("to").asLong();
        assertTrue(to >= latest - 5, gap.toString());
        // Right after the gap: the oldest kept tick, then every later one.
        for (long expected = to + 1; expected <= to + 20; expected++) {
            assertEquals(expected, late.next().get("seq").asLong());
        }
    }

    @Test
    void aBadSinceIsClosedWithPolicyViolation() throws Exception {
        TickerServer ticker = start(50, 10);
        Dashboard d = connect(ticker.socketUrl() + "?since=yesterday");
        assertEquals(CloseStatus.POLICY_VIOLATION,
                d.closed.get(DEADLINE_SECONDS, TimeUnit.SECONDS).code());
        assertTrue(d.messages.isEmpty(), d.messages.toString());
    }

    @Test
    void servesTheDashboardPage() throws Exception {
        TickerServer ticker = start(50, 10);
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(ticker.pageUrl())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("new WebSocket(") && page.body().contains("/ticks"), page.body());
    }
}
