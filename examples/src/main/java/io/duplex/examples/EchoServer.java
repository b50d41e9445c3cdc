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
import java.util.concurrent.CountDownLatch;

/**
 * An echo server: every text or binary message comes back to its sender. A plain browser request to
 * {@code /} gets a small page that opens a WebSocket to this server and shows the echoes.
 *
 * <pre>./mvnw -q -pl examples -am exec:java -Dexec.mainClass=io.duplex.examples.EchoServer [-Dexec.args=PORT]</pre>
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

    /** Starts an echo server on {@code port} (0: any free port). */
    public static WebSocketServer start(int port) throws IOException {
        return WebSocketServer.builder()
                .port(port)
                .handler(ECHO)
                .httpHandler(request -> request.path().equals("/")
                        ? HttpResponse.html(PAGE)
                        : HttpResponse.of(404, "Not Found", HttpHeaders.empty(),
                                "not found".getBytes(StandardCharsets.US_ASCII)))
                .build()
                .start();
    }

    /** Runs until the process is stopped. The port comes from the first argument, default 8080. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        WebSocketServer server = start(port);
        System.out.println("Duplex echo server listening on ws://localhost:" + server.port()
                + "/ — open http://localhost:" + server.port() + "/ in a browser");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(Duration.ofSeconds(2));
            stopped.countDown();
        }));
        stopped.await();
    }
}
