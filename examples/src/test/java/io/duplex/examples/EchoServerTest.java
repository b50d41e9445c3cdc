package io.duplex.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.nio.WebSocketServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example serves its page over plain HTTP and echoes over WebSocket, checked with the JDK's clients. */
class EchoServerTest {

    @Test
    void commandLineSetsPortAndHostWithLoopbackByDefault() {
        assertEquals(new EchoServer.Options("127.0.0.1", 8080), EchoServer.Options.parse());
        assertEquals(new EchoServer.Options("0.0.0.0", 9000), EchoServer.Options.parse("--port", "9000", "--host", "0.0.0.0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EchoServer.Options.parse("9000"));
        assertTrue(e.getMessage().startsWith("usage:"), e.getMessage());
    }

    @Test
    void servesThePageAndEchoes() throws Exception {
        WebSocketServer server = EchoServer.start(0);
        try {
            // HTTP/1.1: by default the JDK client offers `Upgrade: h2c` on http://, which the core's
            // handshake answers with 400 rather than treating as a plain request (browsers send no such offer).
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("new WebSocket("), page.body());
            HttpResponse<String> missing = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());

            CompletableFuture<String> echoed = new CompletableFuture<>();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + server.port() + "/"),
                    new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                echoed.complete(text.toString());
                            }
                            w.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("ping ✓", true);
            assertEquals("ping ✓", echoed.get(10, TimeUnit.SECONDS));
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }
}
