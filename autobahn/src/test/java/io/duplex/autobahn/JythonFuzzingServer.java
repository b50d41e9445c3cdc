package io.duplex.autobahn;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * The Autobahn TestSuite's fuzzing server (Autobahn 0.5.6 / TestSuite 0.6.4, the copy inside the Maven
 * plugin's jar) on Jython in this JVM, listening on 127.0.0.1 only: the peer of a client-role run without
 * Docker.
 *
 * <p>Jython runs in a class loader of its own (its jar and the suite's): on the test class path it would
 * import the Java package {@code io.duplex} for Python's {@code io} module.
 *
 * <p>One patch to the suite: it drops TCP with an abort instead of a graceful close. Under Jython's select
 * reactor a graceful close of a connection the client has already closed never reports the loss, so the
 * case's result is never recorded (about a third of the cases went missing from the report that way).
 * Which side dropped TCP and whether the close handshake was clean are judged from the WebSocket state,
 * not from how the socket is closed, so the verdicts are unchanged.
 *
 * <p>And one allowance: section 9's echo deadlines (10 s for a 4 MiB message) are made ten times longer. The
 * suite itself, in Python on Jython, spends most of them unmasking what the client sends (a 4 MiB text took
 * it 20 s on a loaded 2-core machine); a case still ends as soon as its echo arrives.
 */
final class JythonFuzzingServer {

    private static final long START_NANOS = 120_000_000_000L; // Jython compiles the suite on first start

    private final int port;

    private JythonFuzzingServer(int port) {
        this.port = port;
    }

    /**
     * Starts the server on a free loopback port with {@code casePatterns} (comma-separated, e.g. {@code *}
     * or {@code 1.*,6.6.*}), writing reports to {@code outdir}, and waits until it accepts connections.
     */
    static JythonFuzzingServer start(Path outdir, String casePatterns) throws IOException, InterruptedException {
        int port = freeLoopbackPort();
        URL jython = jarOf("org/python/util/PythonInterpreter.class");
        URL suite = jarOf("autobahntestsuite/fuzzing.py");
        System.setProperty("python.cachedir.skip", "true");
        // Jython looks for its library (Lib/ in its jar) on java.class.path, which surefire hides in a manifest.
        System.setProperty("python.path", Path.of(toUri(jython)) + "/Lib");
        String script = String.join("\n",
                "from twisted.internet import reactor",
                "_listen = reactor.listenTCP",
                "def _loopback(port, factory, backlog=50, interface=''):",
                "    return _listen(port, factory, backlog, '127.0.0.1')",
                "reactor.listenTCP = _loopback",
                "from autobahn import websocket",
                "_drop = websocket.WebSocketProtocol.dropConnection",
                "def _drop_abort(self, abort=False):",
                "    return _drop(self, True)",
                "websocket.WebSocketProtocol.dropConnection = _drop_abort",
                "from autobahntestsuite.fuzzing import FuzzingProtocol",
                "_close_after = FuzzingProtocol.closeAfter",
                "def _close_after_scaled(self, delay):",
                "    return _close_after(self, delay * 10 if delay >= 10 else delay)",
                "FuzzingProtocol.closeAfter = _close_after_scaled",
                "from autobahntestsuite import fuzzing",
                "spec = {'url': 'ws://127.0.0.1:%d', 'webport': 0, 'outdir': %s, 'options': {'failByDrop': False},",
                "        'cases': %s, 'exclude-cases': [], 'exclude-agent-cases': {}}",
                "fuzzing.startServer(spec)",
                "reactor.run(installSignalHandlers=0)");
        String code = String.format(script, port, pythonString(outdir.toString()), pythonList(casePatterns));
        ClassLoader isolated = new URLClassLoader(new URL[] {jython, suite}, ClassLoader.getPlatformClassLoader());
        Thread reactor = new Thread(() -> {
            try {
                Class<?> interpreter = isolated.loadClass("org.python.util.PythonInterpreter");
                Object python = interpreter.getConstructor().newInstance();
                interpreter.getMethod("exec", String.class).invoke(python, code);
            } catch (ReflectiveOperationException e) {
                e.printStackTrace();
            }
        }, "autobahn-fuzzingserver");
        reactor.setContextClassLoader(isolated);
        reactor.setDaemon(true);
        reactor.start();
        JythonFuzzingServer server = new JythonFuzzingServer(port);
        server.awaitListening(reactor);
        return server;
    }

    /** The server's base URL. */
    String url() {
        return "ws://127.0.0.1:" + port;
    }

    private void awaitListening(Thread reactor) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_NANOS;
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                if (!reactor.isAlive()) {
                    throw new IOException("the fuzzing server stopped before listening", notYet);
                }
                Thread.sleep(250);
            }
        }
        throw new IOException("the fuzzing server did not listen on port " + port + " in time");
    }

    /** The jar on the test class path that holds {@code resource}. */
    static URL jarOf(String resource) throws IOException {
        URL url = JythonFuzzingServer.class.getClassLoader().getResource(resource);
        String s = url == null ? "" : url.toString();
        if (!s.startsWith("jar:") || !s.contains("!/")) {
            throw new IOException(resource + " is not in a jar on the test class path: " + url);
        }
        return new URL(s.substring("jar:".length(), s.indexOf("!/")));
    }

    static java.net.URI toUri(URL url) throws IOException {
        try {
            return url.toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String pythonString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String pythonList(String commaSeparated) {
        StringBuilder b = new StringBuilder("[");
        for (String p : commaSeparated.split(",")) {
            b.append(b.length() > 1 ? ", " : "").append(pythonString(p.trim()));
        }
        return b.append(']').toString();
    }
}
