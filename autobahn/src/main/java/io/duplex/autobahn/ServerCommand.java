package io.duplex.autobahn;

import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.WebSocketServer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code server --port 9001 [--host 127.0.0.1] [--loops N]}: the echo testee on {@link WebSocketServer} for
 * the suite's fuzzing client. Runs until the JVM is told to stop (SIGTERM, SIGINT), then stops the server
 * gracefully from a shutdown hook.
 */
final class ServerCommand {

    private static final List<String> OPTIONS = List.of("port", "host", "loops");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private ServerCommand() {
    }

    /**
     * Starts an echo server on {@code host:port} (0: a free port) with the testee limits, accepting
     * permessage-deflate (sections 12 and 13) with its default settings.
     *
     * @param loops the number of event loops, or 0 for the transport's default
     */
    static WebSocketServer start(String host, int port, int loops) throws IOException {
        WebSocketServer.Builder b = WebSocketServer.builder().host(host).port(port)
                .config(TesteeLimits.config()).maxBufferedBytes(TesteeLimits.MAX_BUFFERED)
                .extensions(List.of(PerMessageDeflate.defaults())).handler(new EchoHandler());
        if (loops > 0) {
            b.loops(loops);
        }
        return b.build().start();
    }

    static int run(List<String> args, PrintStream out) throws IOException, InterruptedException {
        Flags flags = Flags.parse(args, OPTIONS);
        String host = flags.text("host", "127.0.0.1");
        WebSocketServer server = start(host, flags.integer("port", 9001, 0, 65535),
                flags.integer("loops", 0, 0, 1024));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(STOP_TIMEOUT);
            stopped.countDown();
        }, "duplex-testee-stop"));
        out.println("duplex echo testee listening on ws://" + host + ":" + server.port() + "/");
        out.flush();
        stopped.await();
        return 0;
    }
}
