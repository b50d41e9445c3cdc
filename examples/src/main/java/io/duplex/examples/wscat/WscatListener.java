package io.duplex.examples.wscat;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.PreparedMessage;
import io.duplex.nio.WebSocketServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * wscat's listen mode: a server on every path that prints what its clients send and sends each line of stdin
 * to every connected client. Runs until the process is stopped (Ctrl-C); the end of stdin only ends the
 * sending.
 */
final class WscatListener {

    private final WscatOptions options;
    private final Output output;

    WscatListener(WscatOptions options, Output output) {
        this.options = options;
        this.output = output;
    }

    /** Serves until the process is stopped; returns the exit status. */
    int run() throws IOException, InterruptedException {
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .host(options.host())
                .port(options.listenPort())
                .loops(1)
                .handler(new Printer())
                .subprotocols(options.subprotocols());
        if (options.deflate()) {
            builder.extensions(List.of(PerMessageDeflate.defaults()));
        }
        if (options.ping() != null && !options.ping().isZero()) {
            builder.pingInterval(options.ping());
        }
        WebSocketServer server = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ofSeconds(2)), "wscat-stop"));
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        output.event("listening on ws://" + host + ":" + server.port() + "/ (Ctrl-C stops)");
        Thread stdin = new Thread(() -> sendLines(server), "wscat-stdin");
        stdin.setDaemon(true);
        stdin.start();
        server.awaitTermination();
        return 0;
    }

    private void sendLines(WebSocketServer server) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                int sent = server.broadcast(PreparedMessage.text(line)).join();
                if (sent == 0) {
                    output.event("no client connected: not sent");
                }
            }
        } catch (IOException e) {
            output.event("stopped reading stdin: " + e);
        }
    }

    /** Prints each client's arrival, messages and close; runs on the event loop. */
    private final class Printer extends PrintingHandler {
        Printer() {
            super(WscatListener.this.output);
        }

        @Override
        public void onOpen(WebSocket socket) {
            output.event("client " + socket.id() + " connected from " + socket.remoteAddress() + " to "
                    + socket.handshakeRequest().target()
                    + (socket.subprotocol().isEmpty() ? "" : " (subprotocol " + socket.subprotocol() + ")")
                    + (socket.extensions().isEmpty() ? "" : " (extensions " + socket.extensions() + ")"));
        }

        @Override
        public void onPong(WebSocket socket, ByteBuffer payload) {
            output.event("client " + socket.id() + " " + Pinger.describe(payload));
        }

        @Override
        public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
            output.event("client " + socket.id() + " " + closed(status));
        }
    }
}
