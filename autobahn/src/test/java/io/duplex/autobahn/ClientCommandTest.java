package io.duplex.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.HandshakeRequest;
import io.duplex.core.HttpHeaders;
import io.duplex.core.UpgradeDecision;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client testee against a stand-in for the suite's fuzzing server that speaks its three endpoints:
 * {@code /getCaseCount} sends the count, each {@code /runCase} sends a text and a binary message and closes
 * once both came back, {@code /updateReports} closes at once.
 */
class ClientCommandTest {

    private static final int CASES = 4;

    private final Map<Integer, List<Object>> echoes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> extensions = new CopyOnWriteArrayList<>();
    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void runsEveryCaseEchoingAndThenAsksForTheReport() throws Exception {
        start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = ClientCommand.run(List.of("--url", "ws://127.0.0.1:" + server.port(), "--agent", "du plex"),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
        for (int n = 1; n <= CASES; n++) {
            List<Object> got = echoes.get(n);
            assertEquals(List.of("case " + n, "bytes " + n), got, "case " + n);
        }
        assertEquals("/getCaseCount", requests.get(0));
        assertEquals("/updateReports?agent=du+plex", requests.get(requests.size() - 1));
        assertEquals(CASES + 2, requests.size());
        assertTrue(requests.contains("/runCase?case=3&agent=du+plex"), requests.toString());
        // Sections 12 and 13 need the client to offer permessage-deflate; the stand-in accepts it.
        assertEquals(CASES, extensions.size());
        assertTrue(extensions.stream().allMatch(e -> e.startsWith("permessage-deflate")), extensions.toString());
    }

    @Test
    void runsOnlyTheCasesAsked() throws Exception {
        start();
        int status = ClientCommand.run(List.of("--url", "ws://127.0.0.1:" + server.port(), "--cases", "2-3"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        assertEquals(Map.of(2, List.of("case 2", "bytes 2"), 3, List.of("case 3", "bytes 3")), Map.copyOf(echoes));
    }

    @Test
    void failsWhenNoServerListens() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // Port 1 on loopback: nothing listens there, the connect is refused.
        int status = ClientCommand.run(List.of("--url", "ws://127.0.0.1:1"), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, status);
    }

    private void start() throws Exception {
        server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .extensions(List.of(PerMessageDeflate.defaults())).decider(this::decide).build().start();
    }

    private UpgradeDecision decide(HandshakeRequest request) {
        requests.add(request.target());
        switch (request.path()) {
            case "/getCaseCount":
                return UpgradeDecision.accept(new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocket socket) {
                        socket.sendText(String.valueOf(CASES));
                        socket.close();
                    }
                });
            case "/runCase":
                int n = Integer.parseInt(request.query().replaceAll("^case=(\\d+)&.*$", "$1"));
                return UpgradeDecision.accept(new CaseServer(n));
            case "/updateReports":
                return UpgradeDecision.accept(new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocket socket) {
                        socket.close();
                    }
                });
            default:
                return UpgradeDecision.reject(404, HttpHeaders.empty(), "no such endpoint");
        }
    }

    /** One case: two messages out, and the close once both echoes are in. */
    private final class CaseServer implements WebSocketHandler {
        private final int n;
        private final List<Object> got = new CopyOnWriteArrayList<>();

        CaseServer(int n) {
            this.n = n;
            echoes.put(n, got);
        }

        @Override
        public void onOpen(WebSocket socket) {
            extensions.add(socket.extensions());
            socket.sendText("case " + n);
            socket.sendBinary(ByteBuffer.wrap(("bytes " + n).getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void onText(WebSocket socket, String text) {
            got.add(text);
            closeWhenDone(socket);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            got.add(StandardCharsets.US_ASCII.decode(data).toString());
            closeWhenDone(socket);
        }

        private void closeWhenDone(WebSocket socket) {
            if (got.size() == 2) {
                socket.close();
            }
        }
    }
}
