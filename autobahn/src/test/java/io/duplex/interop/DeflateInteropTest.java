package io.duplex.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.WebSocketClient;
import io.duplex.nio.WebSocketServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * permessage-deflate (RFC 7692) against a peer's own implementation, both ways, for each {@link Mode}: the
 * peer's client against our server with compression on, and our client against the peer's server. Text
 * (multi-byte UTF-8) and binary messages of 0 B to 1 MiB are echoed and checked on both sides, and each side
 * reports the {@code Sec-WebSocket-Extensions} it saw agreed: they must be the same and hold what the mode asks.
 * With context takeover our client gives its codecs back while idle before each message after the first
 * ({@link PerMessageDeflate.Builder#idleRelease}), so its streams continue from the histories it kept.
 */
abstract class DeflateInteropTest {

    static final List<Integer> SIZES = List.of(0, 1, 125, 126, 1000, 65_535, 65_536, 1 << 20);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(25);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    private static final long STEP_SECONDS = 10;
    /**
     * Our client's idle release with context takeover: it waits for one before each message after the first,
     * so every message continues the peer's stream from a history loaded into a fresh codec.
     */
    private static final Duration IDLE_RELEASE = Duration.ofMillis(1);

    /**
     * A parameter combination: the peer's scripts take {@code name}; our client offers {@code ours}.
     *
     * @param required the parameters the agreed header must hold
     */
    enum Mode {
        DEFAULTS("defaults", PerMessageDeflate.builder().threshold(0).idleRelease(IDLE_RELEASE).build()),
        WINDOWS_10("windows10", PerMessageDeflate.builder().threshold(0).serverMaxWindowBits(10)
                .clientMaxWindowBits(10).idleRelease(IDLE_RELEASE).build(), "server_max_window_bits=10",
                "client_max_window_bits=10"),
        NO_CONTEXT_TAKEOVER("nocontext", PerMessageDeflate.builder().threshold(0).serverNoContextTakeover(true)
                .clientNoContextTakeover(true).build(), "server_no_context_takeover", "client_no_context_takeover");

        final String script;
        final PerMessageDeflate ours;
        final List<String> required;

        Mode(String script, PerMessageDeflate ours, String... required) {
            this.script = script;
            this.ours = ours;
            this.required = List.of(required);
        }
    }

    private final String peer;
    private final Path scripts;
    private final String clientScript;
    private final String serverScript;
    private final Supplier<List<String>> interpreter;

    DeflateInteropTest(String peer, String folder, String clientScript, String serverScript,
            Supplier<List<String>> interpreter) {
        this.peer = peer;
        this.scripts = Peers.directory().resolve(folder);
        this.clientScript = clientScript;
        this.serverScript = serverScript;
        this.interpreter = interpreter;
    }

    /** Our server takes every default but the threshold: what is agreed is what the peer's client offered. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    @Timeout(40)
    void peerClientAgainstOurServer(Mode mode) throws Exception {
        List<String> command = new ArrayList<>(interpreter.get());
        ScenarioServer scenario = new ScenarioServer();
        LineLog ourLog = scenario.log;
        try (WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .extensions(List.of(PerMessageDeflate.builder().threshold(0).build()))
                .handler(new EchoServer(scenario)).build().start()) {
            command.addAll(List.of(clientScript, "ws://127.0.0.1:" + server.port() + "/deflate", mode.script));
            try (PeerProcess client = PeerProcess.start(peer + " client", scripts, command)) {
                int exit = client.awaitExit(RUN_TIMEOUT);
                ourLog.awaitCount("CLOSE ", 1, Duration.ofSeconds(5));
                String report = "\n" + client.report() + "\n--- our server:\n" + ourLog;
                List<String> lines = client.out.snapshot();
                String agreed = extensionsLine(lines, report);
                assertAgreed(mode, agreed, report);
                assertEquals(expected("", " OK", "CLOSE 1000", "DONE"), withoutExtensions(lines),
                        peer + " client transcript" + report);
                assertEquals(0, exit, "exit code" + report);
                assertEquals(normalized(agreed), normalized(extensionsLine(ourLog.snapshot(), report)),
                        "our server's view of the agreed extension" + report);
                assertEquals(expected("RECV ", " OK", "CLOSE 1000 done"), withoutExtensions(ourLog.snapshot()),
                        "our server's transcript" + report);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    @Timeout(40)
    void ourClientAgainstPeerServer(Mode mode) throws Exception {
        List<String> command = new ArrayList<>(interpreter.get());
        command.addAll(List.of(serverScript, mode.script));
        try (PeerProcess server = PeerProcess.start(peer + " server", scripts, command);
                WebSocketClient client = WebSocketClient.builder().loops(1).extensions(List.of(mode.ours)).build()) {
            int port = Integer.parseInt(server.awaitLine("LISTENING ", STARTUP_TIMEOUT).trim());
            ClientEvents events = new ClientEvents();
            WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + port + "/deflate"),
                    new DuplexClientConnector.Callbacks(events)).get(STEP_SECONDS, TimeUnit.SECONDS);
            List<String> lines = new ArrayList<>();
            boolean releasing = mode != Mode.NO_CONTEXT_TAKEOVER;
            long sent = 0;
            for (String kind : List.of("TEXT", "BINARY")) {
                for (int n : SIZES) {
                    if (releasing && sent > 0) {
                        awaitIdleReleases(client, sent);
                    }
                    sent++;
                    Object echo;
                    if (kind.equals("TEXT")) {
                        ws.sendText(Payloads.text(n));
                        echo = events.poll(STEP_SECONDS);
                        lines.add(kind + " " + n + (Payloads.text(n).equals(echo) ? " OK" : " BAD " + echo));
                    } else {
                        ws.sendBinary(ByteBuffer.wrap(Payloads.binary(n)));
                        echo = events.poll(STEP_SECONDS);
                        boolean same = echo instanceof byte[] b && Arrays.equals(b, Payloads.binary(n));
                        lines.add(kind + " " + n + (same ? " OK" : " BAD " + echo));
                    }
                }
            }
            ws.close(1000, "done");
            Object closed = events.poll(STEP_SECONDS);
            lines.add(closed instanceof ClientEvents.Closed c ? "CLOSE " + c.code() : "BAD " + closed);
            server.out.awaitCount("CLOSE ", 1, Duration.ofSeconds(5));
            String report = "\n--- our client:\n" + String.join("\n", lines) + "\n" + server.report();
            assertEquals(expected("", " OK", "CLOSE 1000"), lines, "our client's transcript" + report);
            List<String> theirs = server.out.snapshot().stream().filter(l -> !l.startsWith("LISTENING "))
                    .collect(Collectors.toList());
            String agreed = extensionsLine(theirs, report);
            assertAgreed(mode, agreed, report);
            assertEquals(normalized(agreed), normalized(ws.extensions()), "our client's view" + report);
            assertEquals(expected("RECV ", " OK", "CLOSE 1000 done"), withoutExtensions(theirs),
                    peer + " server transcript" + report);
        }
    }

    /** Waits until our client has given its codecs back {@code n} times (a deadline only bounds a hang). */
    private static void awaitIdleReleases(WebSocketClient client, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        while (client.metrics().idleReleases() < n) {
            assertTrue(System.nanoTime() < deadline, "our client's idle release " + n + " of its codecs");
            Thread.sleep(2);
        }
    }

    private static List<String> expected(String prefix, String suffix, String... tail) {
        List<String> lines = new ArrayList<>();
        for (String kind : List.of("TEXT", "BINARY")) {
            for (int n : SIZES) {
                lines.add(prefix + kind + " " + n + suffix);
            }
        }
        lines.addAll(List.of(tail));
        return lines;
    }

    private static String extensionsLine(List<String> lines, String report) {
        return lines.stream().filter(l -> l.startsWith("EXTENSIONS")).findFirst()
                .map(l -> l.substring("EXTENSIONS".length()).trim())
                .orElseThrow(() -> new AssertionError("no EXTENSIONS line" + report));
    }

    private static List<String> withoutExtensions(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("EXTENSIONS")).collect(Collectors.toList());
    }

    private static String normalized(String header) {
        return header.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }

    /** The agreed header is permessage-deflate with the mode's parameters; with the defaults, nothing restricts. */
    private void assertAgreed(Mode mode, String agreed, String report) {
        List<String> parts = Arrays.asList(normalized(agreed).split(";"));
        assertEquals("permessage-deflate", parts.get(0), peer + ": agreed extension" + report);
        for (String p : mode.required) {
            assertTrue(parts.contains(p), peer + ": " + p + " agreed in " + agreed + report);
        }
        if (mode == Mode.DEFAULTS) {
            assertTrue(parts.stream().noneMatch(p -> p.contains("no_context_takeover") || p.matches(".*=(8|9|1[0-4])")),
                    peer + ": nothing restricts the defaults: " + agreed + report);
        }
    }

    /** {@link ScenarioServer} (echo and log), logging first which extensions were agreed. */
    private record EchoServer(ScenarioServer scenario) implements WebSocketHandler {
        @Override
        public void onOpen(WebSocket socket) {
            scenario.log.add("EXTENSIONS " + socket.extensions());
        }

        @Override
        public void onText(WebSocket socket, String text) {
            scenario.onText(socket, text);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            scenario.onBinary(socket, data);
        }

        @Override
        public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
            scenario.onClose(socket, status, clean);
        }
    }
}
