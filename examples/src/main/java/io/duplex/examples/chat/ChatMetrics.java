package io.duplex.examples.chat;

import io.duplex.core.HttpHeaders;
import io.duplex.core.UpgradeDecision;
import io.duplex.micrometer.DuplexMetrics;
import io.duplex.nio.HttpResponse;
import io.duplex.nio.WebSocketServer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The chat server's metrics for Prometheus: a second, HTTP-only server on its own port (so the metrics need
 * not be public where the chat is) that answers {@code GET /metrics} with the scrape of a
 * {@link PrometheusMeterRegistry} the chat server is bound to through {@link DuplexMetrics}.
 */
final class ChatMetrics {

    private ChatMetrics() {
    }

    /** Binds {@code chat}'s meters and serves them at {@code http://host:port/metrics}, on {@code chat}'s loops. */
    static WebSocketServer start(WebSocketServer chat, String host, int port) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new DuplexMetrics(chat, Tags.of("app", "chat")).bindTo(registry);
        WebSocketServer.Builder b = WebSocketServer.builder()
                .port(port)
                .loops(chat.loops())
                .decider(request -> UpgradeDecision.reject(404, HttpHeaders.empty(), "no WebSocket here"))
                .httpHandler(request -> request.path().equals("/metrics")
                        ? HttpResponse.of(200, "OK",
                                HttpHeaders.builder().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                        .build(),
                                registry.scrape().getBytes(StandardCharsets.UTF_8))
                        : HttpResponse.text(404, "Not Found", "not found"));
        if (host != null) {
            b.host(host);
        }
        return b.build().start();
    }
}
