package io.duplex.examples;

import io.duplex.examples.chat.ChatServer;
import io.duplex.examples.ticker.TickerServer;
import io.duplex.examples.wscat.Wscat;
import java.util.Arrays;

/**
 * The entry point of {@code duplex-examples.jar}: the first argument names the example, the rest are its own.
 *
 * <pre>
 * java -jar examples/target/duplex-examples.jar chat --port 8080 [--host 127.0.0.1]
 * java -jar examples/target/duplex-examples.jar echo [--port 8080] [--host 127.0.0.1]
 * java -jar examples/target/duplex-examples.jar ticker --port 8080 [--host 127.0.0.1] [--rate 50]
 * java -jar examples/target/duplex-examples.jar wscat ws://HOST:PORT/PATH | --listen PORT
 * </pre>
 */
public final class Main {

    private Main() {
    }

    /** Runs the example named by {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (name) {
            case "chat" -> ChatServer.main(rest);
            case "echo" -> EchoServer.main(rest);
            case "ticker" -> TickerServer.main(rest);
            case "wscat" -> Wscat.main(rest);
            default -> {
                System.err.println("usage: java -jar duplex-examples.jar EXAMPLE [ARGS]\n"
                        + "  chat --port P [--host H] [--loops N] [--history N] [--backlog BYTES] [--slow skip|close]\n"
                        + "       [--redis redis://HOST:PORT] (a node of a cluster on that Redis) [--metrics-port M]\n"
                        + "       a chat server: the page at http://H:P/, the WebSocket at ws://H:P/chat,"
                        + " Prometheus metrics at http://H:M/metrics\n"
                        + "  echo [--port P] [--host H]\n"
                        + "       an echo server with its page at http://localhost:PORT/\n"
                        + "  ticker [--port P] [--host H] [--rate TICKS_PER_SECOND] [--history N]\n"
                        + "       a live price dashboard: the page at http://H:P/, ticks at ws://H:P/ticks[?since=S]\n"
                        + "  wscat [-H \"Name: value\"] [--subprotocol S] [--deflate] [--ping [SECONDS]] ws://HOST:PORT/PATH\n"
                        + "  wscat --listen PORT [--host H]\n"
                        + "       a command-line client (stdin lines out, messages printed) or server");
                System.exit(2);
            }
        }
    }
}
