package io.duplex.micrometer;

import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.MetricsListener;
import io.duplex.nio.TransportMetrics;
import io.duplex.nio.WebSocketClient;
import io.duplex.nio.WebSocketServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds a Duplex {@link WebSocketServer} or {@link WebSocketClient} to a Micrometer {@link MeterRegistry}:
 *
 * <pre>{@code
 * new DuplexMetrics(server, Tags.of("endpoint", "chat")).bindTo(registry);
 * }</pre>
 *
 * <p>Every meter reads the transport's own counts ({@link TransportMetrics}, {@link EventLoopGroup}) when the
 * registry asks, so traffic costs nothing here: no meter is touched per message. The one exception is the
 * close counter, tagged by close code: a meter is registered for each code the first time a connection closes
 * with it, which is why the binder becomes the endpoint's {@link MetricsListener} (replacing any other).
 * The meter names and tags are listed in {@code docs/observability.md}.
 */
public final class DuplexMetrics implements MeterBinder {

    private final TransportMetrics metrics;
    private final EventLoopGroup loops;
    private final Tags tags;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Set<Integer> codesRegistered = ConcurrentHashMap.newKeySet();

    /** Metrics of {@code server}, every meter tagged {@code role=server} and with {@code tags}. */
    public DuplexMetrics(WebSocketServer server, Iterable<Tag> tags) {
        this(server.metrics(), server.loops(), Tags.of(tags).and("role", "server"));
    }

    /** Metrics of {@code client}, every meter tagged {@code role=client} and with {@code tags}. */
    public DuplexMetrics(WebSocketClient client, Iterable<Tag> tags) {
        this(client.metrics(), client.loops(), Tags.of(tags).and("role", "client"));
    }

    private DuplexMetrics(TransportMetrics metrics, EventLoopGroup loops, Tags tags) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.loops = loops;
        this.tags = tags;
        metrics.listener(new MetricsListener() {
            @Override
            public void closed(int code, boolean clean) {
                if (codesRegistered.add(code)) {
                    for (MeterRegistry r : registries) {
                        closes(r, code);
                    }
                }
            }
        });
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        Gauge.builder("duplex.connections.open", metrics, TransportMetrics::openConnections)
                .description("WebSocket connections open (handshake done, not closed yet)")
                .tags(tags).register(registry);
        byTag(registry, "duplex.handshakes", null, "Opening handshakes, by outcome", "outcome",
                Map.of("accepted", TransportMetrics::handshakesAccepted, "rejected",
                        TransportMetrics::handshakesRejected, "failed", TransportMetrics::handshakesFailed));
        byTag(registry, "duplex.messages", null, "Whole data messages, by direction", "direction",
                Map.of("in", TransportMetrics::messagesIn, "out", TransportMetrics::messagesOut));
        byTag(registry, "duplex.bytes", "bytes", "WebSocket frame bytes after the handshake, by direction",
                "direction", Map.of("in", TransportMetrics::bytesIn, "out", TransportMetrics::bytesOut));
        byTag(registry, "duplex.closes.forced", null,
                "Connections the transport failed: outbound buffer past its limit, keepalive ping unanswered, idle",
                "reason", Map.of("overflow", TransportMetrics::overflowCloses, "keepalive",
                        TransportMetrics::keepaliveCloses, "idle", TransportMetrics::idleCloses));
        counter(registry, "duplex.idle.releases", null,
                "Times an idle connection gave back memory it holds between messages (permessage-deflate codecs)",
                Tags.empty(), TransportMetrics::idleReleases);
        for (Integer code : metrics.closesByCode().keySet()) {
            codesRegistered.add(code);
        }
        for (Integer code : codesRegistered) {
            closes(registry, code);
        }
        bindLoops(registry);
    }

    private void bindLoops(MeterRegistry registry) {
        FunctionCounter.builder("duplex.loop.slow.handlers", loops, EventLoopGroup::slowHandlerCount)
                .description("Callbacks that held an event loop past the slow-handler threshold")
                .tags(tags).register(registry);
        for (int i = 0; i < loops.size(); i++) {
            int index = i;
            Tags loop = tags.and("loop", loops.loopName(i));
            Gauge.builder("duplex.loop.queue.depth", loops, g -> g.queueDepth(index))
                    .description("Tasks queued on the event loop and not yet run")
                    .tags(loop).register(registry);
            TimeGauge.builder("duplex.loop.lag", loops, TimeUnit.NANOSECONDS, g -> g.lagNanos(index))
                    .description("How long a task queued on the event loop waited before it ran, as of the last reading")
                    .tags(loop).register(registry);
        }
    }

    /** One counter {@code name} per value of the tag {@code key}, each read by its function; {@code unit} may be null. */
    private void byTag(MeterRegistry registry, String name, String unit, String description, String key,
            Map<String, ToDoubleFunction<TransportMetrics>> values) {
        values.forEach((value, f) -> counter(registry, name, unit, description, Tags.of(key, value), f));
    }

    private void counter(MeterRegistry registry, String name, String unit, String description, Tags extra,
            ToDoubleFunction<TransportMetrics> f) {
        FunctionCounter.builder(name, metrics, f).description(description).baseUnit(unit).tags(tags.and(extra))
                .register(registry);
    }

    private void closes(MeterRegistry registry, int code) {
        counter(registry, "duplex.closes", null, "Closes of open connections, by close code",
                Tags.of("code", Integer.toString(code)), m -> m.closes(code));
    }
}
