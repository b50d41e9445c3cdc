package io.duplex.examples.wscat;

import io.duplex.core.HttpHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code wscat}: either a URL to connect to or {@code --listen PORT}, and the options.
 *
 * @param uri where to connect; null in listen mode
 * @param listenPort the port to serve on in listen mode (0: any free port); -1 in client mode
 * @param host the address to bind in listen mode
 * @param headers extra request headers ({@code -H "Name: value"}, repeatable)
 * @param subprotocols subprotocols to offer (client) or accept (listen), in order of preference
 * @param deflate whether to negotiate permessage-deflate
 * @param ping null for no pings, {@link Duration#ZERO} for one ping after connecting, else the interval
 */
record WscatOptions(URI uri, int listenPort, String host, HttpHeaders headers, List<String> subprotocols,
                    boolean deflate, Duration ping) {

    static final String USAGE = """
            usage: wscat [OPTIONS] ws://HOST:PORT/PATH      connect, send each stdin line, print what arrives
                   wscat [OPTIONS] --listen PORT            serve, print what arrives, send stdin lines to all
              -H, --header "Name: value"   add a request header (repeatable; client)
              --subprotocol NAME           offer (client) or accept (listen) a subprotocol (repeatable)
              --deflate                    negotiate permessage-deflate
              --ping [SECONDS]             send a Ping every SECONDS, or once after connecting; print the Pongs
                                           (listen: ping a client after SECONDS without hearing from it)
              --host ADDRESS               the address to listen on (default 127.0.0.1)
            Text messages are printed as they are, binary ones as hex, one per line on stdout; the connection's
            events (connected, pong, closed) go to stderr. Exit status: 0 after a close handshake, 1 when the
            connection or its handshake fails (the reason, with the HTTP status, on stderr), 2 for bad usage.""";

    /** A command line that cannot be run; its message says why. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static WscatOptions parse(String... args) throws UsageException {
        URI uri = null;
        int listenPort = -1;
        String host = "127.0.0.1";
        HttpHeaders.Builder headers = HttpHeaders.builder();
        List<String> subprotocols = new ArrayList<>();
        boolean deflate = false;
        Duration ping = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-H", "--header" -> {
                    String h = value(args, ++i, arg);
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        throw new UsageException(arg + " takes \"Name: value\", not \"" + h + "\"");
                    }
                    headers.add(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                }
                case "--subprotocol" -> subprotocols.add(value(args, ++i, arg));
                case "--deflate" -> deflate = true;
                case "--listen", "-l" -> listenPort = port(value(args, ++i, arg));
                case "--host" -> host = value(args, ++i, arg);
                case "--ping" -> {
                    // An optional number: "--ping 5" pings every 5 s, a bare "--ping" once.
                    if (i + 1 < args.length && args[i + 1].matches("\\d+(\\.\\d+)?")) {
                        ping = seconds(args[++i]);
                    } else {
                        ping = Duration.ZERO;
                    }
                }
                default -> {
                    if (arg.startsWith("-") || uri != null) {
                        throw new UsageException("unexpected argument: " + arg);
                    }
                    uri = uri(arg);
                }
            }
        }
        if ((uri == null) == (listenPort < 0)) {
            throw new UsageException("give either a ws:// or wss:// URL or --listen PORT");
        }
        return new WscatOptions(uri, listenPort, host, headers.build(), List.copyOf(subprotocols), deflate, ping);
    }

    boolean listen() {
        return listenPort >= 0;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String s) throws UsageException {
        try {
            int p = Integer.parseInt(s);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("not a port: " + s);
    }

    private static Duration seconds(String s) throws UsageException {
        Duration d = Duration.ofNanos(Math.round(Double.parseDouble(s) * 1e9));
        if (d.isZero()) {
            throw new UsageException("--ping takes a positive number of seconds, or nothing for one ping");
        }
        return d;
    }

    private static URI uri(String s) throws UsageException {
        URI u;
        try {
            u = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new UsageException("not a URL: " + s);
        }
        if (!"ws".equalsIgnoreCase(u.getScheme()) && !"wss".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            throw new UsageException("not a ws:// or wss:// URL: " + s);
        }
        return u;
    }
}
