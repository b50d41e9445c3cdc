package io.duplex.bench.soak;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.WebSocketServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The server side of the churn soak, in a JVM of its own so that its {@code /proc/self/fd} holds only its own
 * descriptors: a Duplex echo server with permessage-deflate (defaults) and a small outbound limit, driven by
 * {@link ChurnSoak} through its standard input. Each {@code measure} line is answered with one line of
 * {@link Resources} once the connections are gone, the settle period has passed and a full GC has run;
 * {@code quit} (or the end of input) stops it.
 *
 * <p>Arguments: {@code PORT MAX_BUFFERED_BYTES SETTLE_MILLIS}.
 */
public final class SoakServer {

    private SoakServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SoakServer PORT MAX_BUFFERED_BYTES SETTLE_MILLIS");
            System.exit(64);
        }
        int port = Integer.parseInt(args[0]);
        long maxBuffered = Long.parseLong(args[1]);
        long settleMillis = Long.parseLong(args[2]);
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                socket.offerText(text);
            }

            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                socket.offerBinary(data);
            }
        };
        WebSocketServer server = WebSocketServer.builder()
                .port(port)
                .extensions(List.of(PerMessageDeflate.defaults()))
                .maxBufferedBytes(maxBuffered)
                .handler(echo)
                .build()
                .start();
        System.out.println("listening duplex-soak " + server.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null && !line.equals("quit");) {
            if (line.equals("measure")) {
                Resources r = Resources.measure(server, settleMillis);
                System.out.println(r.line());
                System.out.println(r.threadNamesLine());
                System.out.flush();
            }
        }
        server.stop(Duration.ofSeconds(5));
    }
}
