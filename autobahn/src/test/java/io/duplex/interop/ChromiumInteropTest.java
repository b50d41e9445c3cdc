package io.duplex.interop;

import io.duplex.interop.Scenario.ClientApi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.duplex.core.ExtensionFactory;
import io.duplex.core.HttpHeaders;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.HttpResponse;
import io.duplex.nio.WebSocketServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * Interop with headless Chromium's WebSocket against our server. Our server also serves the page
 * ({@code peers/chromium/interop.html}, with the event queue it shares with the Node client,
 * {@code peers/node/event-queue.js}) over plain HTTP on the same port; the page runs the client's side of
 * {@link Scenario} and sends its transcript, line by line, over a second WebSocket to {@code /report}. The
 * browser is a plain child process, killed when the test ends.
 */
class ChromiumInteropTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(25);

    @ParameterizedTest(name = "our frames: {0} bytes (0: a message in one frame)")
    @ValueSource(ints = {0, Scenario.FRAGMENT_SIZE})
    @Timeout(30)
    void chromiumClientAgainstOurServer(int fragmentSize) throws Exception {
        assertEquals("EXTENSIONS ", run(fragmentSize, List.of()), "no extension is agreed when the server has none");
    }

    /**
     * Runs the page against our server with {@code extensions}, asserting both transcripts.
     *
     * @return the page's {@code EXTENSIONS} line: what {@code WebSocket.extensions} said on the first connection
     */
    static String run(int fragmentSize, List<ExtensionFactory> extensions) throws Exception {
        Path chromium = Peers.chromium();
        String page = Files.readString(Peers.directory().resolve("chromium/interop.html"));
        byte[] eventQueue = Files.readAllBytes(Peers.directory().resolve("node/event-queue.js"));
        HttpResponse script = HttpResponse.of(200, "OK",
                HttpHeaders.builder().add("Content-Type", "text/javascript; charset=utf-8").build(), eventQueue);
        ScenarioServer ours = new ScenarioServer();
        LineLog report = new LineLog();
        Path profile = Files.createTempDirectory("duplex-chromium-");
        try (WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .config(Scenario.ourConfig(fragmentSize))
                .extensions(extensions)
                .route("/scenario", ours)
                .route("/report", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocket socket, String text) {
                        report.add(text);
                    }
                })
                .httpHandler(request -> switch (request.path()) {
                    case "/interop.html" -> HttpResponse.html(page);
                    case "/event-queue.js" -> script;
                    default -> HttpResponse.text(404, "Not Found", "no such page");
                })
                .build().start();
                PeerProcess browser = PeerProcess.start("chromium", profile, List.of(chromium.toString(),
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                        "http://127.0.0.1:" + server.port() + "/interop.html"))) {
            String end = report.await(l -> l.equals("DONE") || l.startsWith("FAIL "), RUN_TIMEOUT);
            assertNotNull(end, "the page did not finish within " + RUN_TIMEOUT + "; it reported:\n" + report
                    + "\n" + browser.report());
            List<String> transcript = report.snapshot().stream()
                    .filter(l -> !l.startsWith("USER-AGENT ") && !l.startsWith("EXTENSIONS ")).toList();
            Scenario.assertClient("chromium client", transcript, ClientApi.BROWSER);
            ours.log.awaitCount("CLOSE ", Scenario.connections(ClientApi.BROWSER), Duration.ofSeconds(5));
            Scenario.assertServer("our server, chromium client", ours.log.snapshot(), ClientApi.BROWSER);
            return report.snapshot().stream().filter(l -> l.startsWith("EXTENSIONS ")).findFirst().orElse(null);
        } finally {
            deleteTree(profile);
        }
    }

    /** Best effort: the profile is a temporary folder, and a failure to remove it must not hide the verdict. */
    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove " + root + ": " + e);
        }
    }
}
