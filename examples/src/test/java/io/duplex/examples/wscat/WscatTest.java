package io.duplex.examples.wscat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.HttpHeaders;
import io.duplex.core.UpgradeDecision;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.WebSocketServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * wscat run as a user runs it, in a JVM of its own with its stdin and stdout piped: against a Duplex server
 * that tells each client what it negotiated, and against wscat itself in listen mode.
 */
class WscatTest {

    private WebSocketServer server;

    /**
     * On {@code /echo}: greets with the request's {@code X-Token}, the subprotocol and the extensions, sends
     * the binary message ca fe, then echoes text. Any other path: 404.
     */
    @BeforeEach
    void startServer() throws IOException {
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket ws) {
                ws.sendText("token=" + ws.handshakeRequest().headers().first("X-Token")
                        + " subprotocol=" + ws.subprotocol() + " extensions=" + ws.extensions());
                ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xca, (byte) 0xfe}));
            }

            @Override
            public void onText(WebSocket ws, String text) {
                ws.sendText("echo: " + text);
            }
        };
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .loops(1)
                .subprotocols(List.of("chat.v1"))
                .extensions(List.of(PerMessageDeflate.defaults()))
                .decider(request -> request.path().equals("/echo")
                        ? UpgradeDecision.accept(echo)
                        : UpgradeDecision.reject(404, HttpHeaders.empty(), "no such endpoint"))
                .build()
                .start();
    }

    @AfterEach
    void stopServer() {
        server.stop(Duration.ofSeconds(2));
    }

    private String url(String path) {
        return "ws://127.0.0.1:" + server.port() + path;
    }

    @Test
    void sendsEachLinePrintsTextAsIsAndBinaryAsHexAndExitsZeroAfterTheCloseHandshake() throws Exception {
        try (WscatProcess wscat = WscatProcess.start("-H", "X-Token: abc 123", "--subprotocol", "chat.v1",
                "--deflate", url("/echo"))) {
            wscat.awaitOut(l -> l.startsWith("token="), "the greeting");
            wscat.type("hello");
            wscat.type("h\u00e9llo w\u00f6rld");
            wscat.awaitOut(l -> l.equals("echo: h\u00e9llo w\u00f6rld"), "the second echo");
            wscat.endInput();
            assertEquals(0, wscat.exitStatus(), wscat.toString());
            assertEquals(List.of(
                    "token=abc 123 subprotocol=chat.v1 extensions=permessage-deflate",
                    "cafe",
                    "echo: hello",
                    "echo: h\u00e9llo w\u00f6rld"), wscat.out().stream()
                    .map(l -> l.startsWith("token=") ? l.replaceFirst("permessage-deflate.*", "permessage-deflate") : l)
                    .toList());
            assertTrue(wscat.err().stream().anyMatch(l -> l.contains("closed 1000")), wscat.toString());
        }
    }

    @Test
    void withoutOptionsNothingIsNegotiated() throws Exception {
        try (WscatProcess wscat = WscatProcess.start(url("/echo"))) {
            String greeting = wscat.awaitOut(l -> l.startsWith("token="), "the greeting");
            assertEquals("token=null subprotocol= extensions=", greeting);
            wscat.endInput();
            assertEquals(0, wscat.exitStatus(), wscat.toString());
        }
    }

    @Test
    void pingOncePrintsThePong() throws Exception {
        try (WscatProcess wscat = WscatProcess.start("--ping", url("/echo"))) {
            wscat.awaitErr(l -> l.startsWith("wscat: pong after ") && l.endsWith(" ms"), "the pong");
            wscat.endInput();
            assertEquals(0, wscat.exitStatus(), wscat.toString());
            assertEquals(1, wscat.err().stream().filter(l -> l.contains("pong")).count(), wscat.toString());
        }
    }

    @Test
    void pingEveryIntervalPrintsEachPong() throws Exception {
        try (WscatProcess wscat = WscatProcess.start("--ping", "0.2", url("/echo"))) {
            wscat.awaitErr(l -> l.startsWith("wscat: pong") && wscat.err().stream()
                    .filter(e -> e.startsWith("wscat: pong after ")).count() >= 3, "three pongs");
            wscat.endInput();
            assertEquals(0, wscat.exitStatus(), wscat.toString());
        }
    }

    @Test
    void aRefusedHandshakeExitsNonZeroWithTheStatus() throws Exception {
        try (WscatProcess wscat = WscatProcess.start(url("/missing"))) {
            assertNotEquals(0, wscat.exitStatus());
            assertTrue(wscat.err().stream().anyMatch(l -> l.contains("handshake") && l.contains("HTTP 404")),
                    wscat.toString());
            assertEquals(List.of(), wscat.out());
        }
    }

    @Test
    void aRefusedConnectionExitsNonZeroWithTheReason() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (WscatProcess wscat = WscatProcess.start("ws://127.0.0.1:" + port + "/")) {
            assertNotEquals(0, wscat.exitStatus());
            assertTrue(wscat.err().stream().anyMatch(l -> l.contains("cannot connect")), wscat.toString());
        }
    }

    @Test
    void badUsageExitsWithTwo() throws Exception {
        try (WscatProcess wscat = WscatProcess.start("http://example.com/")) {
            assertEquals(2, wscat.exitStatus());
            assertTrue(wscat.err().stream().anyMatch(l -> l.contains("not a ws:// or wss:// URL")), wscat.toString());
        }
    }

    @Test
    void talksToItselfInListenMode() throws Exception {
        try (WscatProcess listener = WscatProcess.start("--listen", "0", "--subprotocol", "chat.v1", "--deflate")) {
            String listening = listener.awaitErr(l -> l.startsWith("wscat: listening on ws://"), "its address");
            String address = listening.substring("wscat: listening on ".length(), listening.indexOf(' ',
                    "wscat: listening on ".length()));
            try (WscatProcess client = WscatProcess.start("--subprotocol", "chat.v1", "--deflate",
                    address + "room")) {
                listener.awaitErr(l -> l.contains("connected from") && l.contains(" to /room")
                        && l.contains("(subprotocol chat.v1)") && l.contains("permessage-deflate"), "the client");
                client.type("from the client");
                listener.awaitOut(l -> l.equals("from the client"), "the client's line");
                listener.type("from the listener");
                client.awaitOut(l -> l.equals("from the listener"), "the listener's line");
                client.endInput();
                assertEquals(0, client.exitStatus(), client.toString());
                listener.awaitErr(l -> l.matches("wscat: client \\d+ closed 1000"), "the client's close");
                assertEquals(List.of("from the listener"), client.out());
            }
            assertEquals(List.of("from the client"), listener.out());
        }
    }
}
