package io.duplex.interop;

import io.duplex.interop.Scenario.ClientApi;
import io.duplex.nio.WebSocketServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/** Interop with the JDK's {@code java.net.http.WebSocket} client against our server. */
class JdkClientInteropTest {

    @ParameterizedTest(name = "our frames: {0} bytes (0: a message in one frame)")
    @ValueSource(ints = {0, Scenario.FRAGMENT_SIZE})
    @Timeout(30)
    void jdkClientAgainstOurServer(int fragmentSize) throws Exception {
        ScenarioServer ours = new ScenarioServer();
        try (WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .config(Scenario.ourConfig(fragmentSize))
                .handler(ours).build().start()) {
            ScenarioClient jdk = new ScenarioClient(new JdkClientConnector(HttpClient.newHttpClient()),
                    ClientApi.CODED_CLOSES);
            jdk.run(URI.create("ws://127.0.0.1:" + server.port() + "/scenario"));
            Scenario.assertClient("jdk client", jdk.log.snapshot(), ClientApi.CODED_CLOSES);
            ours.log.awaitCount("CLOSE ", Scenario.connections(ClientApi.CODED_CLOSES), Duration.ofSeconds(5));
            Scenario.assertServer("our server, jdk client", ours.log.snapshot(), ClientApi.CODED_CLOSES);
        }
    }
}
