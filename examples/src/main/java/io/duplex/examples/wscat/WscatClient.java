package io.duplex.examples.wscat;

import io.duplex.core.CloseStatus;
import io.duplex.core.HandshakeException;
import io.duplex.core.WebSocket;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.ConnectOptions;
import io.duplex.nio.WebSocketClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * wscat's client mode: connects, prints what arrives, sends each line of stdin as a text message, and on the
 * end of stdin closes with 1000 and waits for the server's Close.
 */
final class WscatClient {

    private static final Duration CONNECT_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(10);

    private final WscatOptions options;
    private final Output output;
    /** Completes with whether the connection ended with a close handshake. */
    private final CompletableFuture<Boolean> closed = new CompletableFuture<>();

    WscatClient(WscatOptions options, Output output) {
        this.options = options;
        this.output = output;
    }

    /** Runs until the connection ends; returns the exit status. */
    int run() throws InterruptedException {
        WebSocketClient.Builder builder = WebSocketClient.builder().loops(1);
        if (options.deflate()) {
            builder.extensions(List.of(PerMessageDeflate.defaults()));
        }
        try (WebSocketClient client = builder.build()) {
            WebSocket ws;
            try {
                ws = client.connect(options.uri(), new Printer(), ConnectOptions.builder()
                        .headers(options.headers())
                        .subprotocols(options.subprotocols())
                        .build()).get(CONNECT_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                output.event(failure(e.getCause()));
                return 1;
            } catch (IllegalArgumentException e) {
                output.event("cannot connect: " + e.getMessage()); // a header the handshake sets itself, say
                return 2;
            } catch (TimeoutException e) {
                output.event("no connection to " + options.uri() + " within " + CONNECT_DEADLINE.toSeconds() + " s");
                return 1;
            }
            output.event("connected to " + options.uri()
                    + (ws.subprotocol().isEmpty() ? "" : " (subprotocol " + ws.subprotocol() + ")")
                    + (ws.extensions().isEmpty() ? "" : " (extensions " + ws.extensions() + ")"));
            Pinger pinger = options.ping() == null ? null : Pinger.start(ws, options.ping());
            Thread stdin = new Thread(() -> sendLines(ws), "wscat-stdin");
            stdin.setDaemon(true); // a blocked read of stdin must not keep the JVM up once the server closed
            stdin.start();
            try {
                return closed.join() ? 0 : 1;
            } finally {
                if (pinger != null) {
                    pinger.stop();
                }
            }
        }
    }

    /** Sends each line of stdin, one at a time (waiting for each to be written), then closes. */
    private void sendLines(WebSocket ws) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                ws.sendText(line).get();
            }
        } catch (Exception e) {
            if (!closed.isDone()) {
                output.event("stopped sending: " + e);
            }
            return;
        }
        ws.close(CloseStatus.NORMAL_CLOSURE, "");
        // A server that never answers the Close: the client's close timeout ends the connection anyway.
        closed.completeOnTimeout(false, CLOSE_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private String failure(Throwable cause) {
        if (cause instanceof HandshakeException h) {
            return "handshake with " + options.uri() + " failed"
                    + (h.status() == 0 ? "" : ": HTTP " + h.status()) + " (" + h.getMessage() + ")";
        }
        return "cannot connect to " + options.uri() + ": " + cause;
    }

    /** Prints each message, Pong and the close; runs on the connection's event loop. */
    private final class Printer extends PrintingHandler {
        Printer() {
            super(WscatClient.this.output);
        }

        @Override
        public void onPong(WebSocket socket, ByteBuffer payload) {
            output.event(Pinger.describe(payload));
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            output.event("error: " + error);
        }

        @Override
        public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
            output.event(closed(status));
            closed.complete(clean);
        }
    }
}
