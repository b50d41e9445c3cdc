package io.duplex.examples;

import io.duplex.core.HttpHeaders;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.HttpResponse;
import io.duplex.nio.WebSocketServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An echo server: every text or binary message comes back to its sender. A plain browser request to
 * {@code /} gets a small page that opens a WebSocket to this server and shows the echoes.
 *
 * <pre>./mvnw -q -pl examples -am compile exec:java [-Dexec.args="--port 9000 --host 0.0.0.0"]</pre>
 */
public final class EchoServer {

    /** Sends each data message back as it came. Runs on the event loop: it never blocks. */
    static final WebSocketHandler ECHO = new WebSocketHandler() {
        @Override
        public void onText(WebSocket socket, String text) {
            socket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }
    };

    static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Duplex echo</title></head>
            <body>
            <h1>Duplex echo</h1>
            <form id="f"><input id="m" value="hello" autofocus> <button>Send</button></form>
            <pre id="log"></pre>
            <script>
            const log = (line) => document.getElementById('log').textContent += line + '\\n';
            const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/');
            ws.onopen = () => log('open');
            ws.onmessage = (e) => log('echo: ' + e.data);
            ws.onclose = (e) => log('closed ' + e.code + ' ' + e.reason);
            document.getElementById('f').onsubmit = (e) => {
              e.preventDefault();
              const m = document.getElementById('m').value;
              ws.send(m);
              log('sent: ' + m);
            };
            </script>
            </body>
            </html>
            """;

    private EchoServer() {
    }

    /** Starts an echo server on {@code port} (0: any free port) of the loopback interface. */
    public static WebSocketServer start(int port) throws IOException {
        return start(LOOPBACK, port);
    }

    /** Starts an echo server on {@code host} (an address or name to bind) and {@code port} (0: any free port). */
    public static WebSocketServer start(String host, int port) throws IOException {
        return WebSocketServer.builder()
                .host(host)
                .port(port)
                .handler(ECHO)
                .httpHandler(request -> request.path().equals("/")
                        ? HttpResponse.html(PAGE)
                        : HttpResponse.of(404, "Not Found", HttpHeaders.empty(),
                                "not found".getBytes(StandardCharsets.US_ASCII)))
                .build()
                .start();
    }

    /**
     * Runs until the process is stopped (Ctrl-C). Options: {@code --port N} (default 8080; 0 picks a free
     * one) and {@code --host ADDRESS} (default 127.0.0.1, so the demo is not reachable from the network;
     * {@code 0.0.0.0} binds every interface).
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        WebSocketServer server = start(options.host(), options.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ofSeconds(2))));
        String where = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        System.out.println("Duplex echo server listening on ws://" + where + ":" + server.port()
                + "/ — open http://" + where + ":" + server.port() + "/ in a browser (Ctrl-C stops it)");
        server.awaitTermination();
    }

    static final String LOOPBACK = "127.0.0.1";

    /** The command line: {@code [--host ADDRESS] [--port N]}. */
    record Options(String host, int port) {

        static Options parse(String... args) {
            String host = LOOPBACK;
            int port = 8080;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i + 1 >= args.length || !(arg.equals("--port") || arg.equals("--host"))) {
                    throw new IllegalArgumentException("usage: EchoServer [--host ADDRESS] [--port N], not: "
                            + String.join(" ", args));
                }
                String value = args[++i];
                if (arg.equals("--host")) {
                    host = value;
                } else {
                    port = Integer.parseInt(value);
                }
            }
            return new Options(host, port);
        }
    }
}
