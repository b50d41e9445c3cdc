package io.duplex.interop;

import io.duplex.interop.Scenario.ClientApi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.nio.WebSocketClient;
import io.duplex.nio.WebSocketServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link Scenario} both ways against a peer written as a pair of scripts, a client taking the URL as
 * its argument and a server printing {@code LISTENING <port>}: the peer's client against our
 * {@link WebSocketServer}, and our {@link WebSocketClient} against the peer's server. Each side's transcript
 * is asserted, so every close code is checked as both sides saw it.
 */
abstract class ScriptPeerInteropTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(25);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private final String peer;
    private final Path scripts;
    private final String clientScript;
    private final String serverScript;
    private final Supplier<List<String>> interpreter;
    private final ClientApi clientApi;

    /**
     * @param peer the peer's name in messages, for example "python websockets"
     * @param folder the folder of the peer's scripts under {@link Peers#directory()}
     * @param interpreter the command that runs one of the peer's scripts; skips or fails the test when the
     *     peer is missing
     * @param clientApi what the peer's client script does beyond the common steps
     */
    ScriptPeerInteropTest(String peer, String folder, String clientScript, String serverScript,
            Supplier<List<String>> interpreter, ClientApi clientApi) {
        this.peer = peer;
        this.scripts = Peers.directory().resolve(folder);
        this.clientScript = clientScript;
        this.serverScript = serverScript;
        this.interpreter = interpreter;
        this.clientApi = clientApi;
    }

    @ParameterizedTest(name = "our frames: {0} bytes (0: a message in one frame)")
    @ValueSource(ints = {0, Scenario.FRAGMENT_SIZE})
    @Timeout(30)
    void peerClientAgainstOurServer(int fragmentSize) throws Exception {
        List<String> command = new ArrayList<>(interpreter.get());
        ScenarioServer ours = new ScenarioServer();
        try (WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .config(Scenario.ourConfig(fragmentSize))
                .handler(ours).build().start()) {
            command.add(clientScript);
            command.add("ws://127.0.0.1:" + server.port() + "/scenario");
            try (PeerProcess client = PeerProcess.start(peer + " client", scripts, command)) {
                int exit = client.awaitExit(RUN_TIMEOUT);
                withReport(client, () -> {
                    Scenario.assertClient(peer + " client", client.out.snapshot(), clientApi);
                    assertEquals(0, exit, "exit code");
                });
                ours.log.awaitCount("CLOSE ", Scenario.connections(clientApi), SETTLE_TIMEOUT);
                Scenario.assertServer("our server, " + peer + " client", ours.log.snapshot(), clientApi);
            }
        }
    }

    @ParameterizedTest(name = "our frames: {0} bytes (0: a message in one frame)")
    @ValueSource(ints = {0, Scenario.FRAGMENT_SIZE})
    @Timeout(30)
    void ourClientAgainstPeerServer(int fragmentSize) throws Exception {
        List<String> command = new ArrayList<>(interpreter.get());
        command.add(serverScript);
        try (PeerProcess server = PeerProcess.start(peer + " server", scripts, command);
                WebSocketClient client = WebSocketClient.builder().loops(1)
                        .config(Scenario.ourConfig(fragmentSize)).build()) {
            int port = Integer.parseInt(server.awaitLine("LISTENING ", STARTUP_TIMEOUT).trim());
            ClientApi ourApi = ClientApi.CODED_CLOSES;
            ScenarioClient ours = new ScenarioClient(new DuplexClientConnector(client), ourApi);
            ours.run(URI.create("ws://127.0.0.1:" + port + "/scenario"));
            withReport(server, () -> {
                Scenario.assertClient("our client, " + peer + " server", ours.log.snapshot(), ourApi);
                assertTrue(server.out.awaitCount("CLOSE ", Scenario.connections(ourApi), SETTLE_TIMEOUT),
                        "the server saw every close");
                List<String> transcript = server.out.snapshot().stream()
                        .filter(l -> !l.startsWith("LISTENING ")).collect(Collectors.toList());
                Scenario.assertServer(peer + " server", transcript, ourApi);
            });
        }
    }

    private interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check}, adding the peer's output to any assertion it fails. */
    private static void withReport(PeerProcess process, Check check) throws Exception {
        try {
            check.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + process.report(), e);
        }
    }
}
