package io.duplex.autobahn;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Autobahn TestSuite's fuzzing client (Autobahn 0.5.6 / TestSuite 0.6.4, the copy inside the Maven plugin's
 * jar) on Jython in this JVM: the peer of the server-role run. It runs the cases one connection after another
 * and reports each case's start, and its own end, as lines that {@link #nextEvent} hands out, so that the
 * caller can tell a run that is slow from one that stopped.
 *
 * <p>Jython runs in a class loader of its own (its jar and the suite's), for the reason given in
 * {@link JythonFuzzingServer}; the events cross over as {@code String}s in a {@code java.util} queue.
 *
 * <p>One guard, not a patch to any verdict: the client starts the next case only when Twisted reports the
 * connection lost, and under Jython's select reactor that report can go missing (the same reactor loses it
 * for a graceful close, see {@link JythonFuzzingServer}). The run then waits forever with the case already
 * decided: the suite's own state for the connection is CLOSED. So once a case's connection has been CLOSED in
 * the suite's eyes for {@value #LOST_GRACE_SECONDS} seconds without the report, the guard aborts the socket
 * and makes the report itself, and says so on the events queue. The case is judged from what the suite saw,
 * as always; a case whose connection is still open is never touched (the suite's own timeouts close it, or
 * the caller's stall limit fails the run).
 */
final class JythonFuzzingClient {

    /** Seconds a case's connection may be CLOSED for the suite without Twisted reporting it lost. */
    static final int LOST_GRACE_SECONDS = 10;

    /** Event lines: {@code cases <count>}, {@code start <case>}, {@code lost-report-missing <case>}, {@code finished}, {@code error ...}. */
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    private JythonFuzzingClient() {
    }

    /**
     * Starts the client against {@code url} as agent {@code agent}, with {@code casePatterns} (comma-separated,
     * e.g. {@code *} or {@code 1.*,6.6.*}), writing reports to {@code outdir}.
     */
    static JythonFuzzingClient start(String url, String agent, Path outdir, String casePatterns) throws IOException {
        return start(url, agent, outdir, casePatterns, 0);
    }

    /**
     * As above, and drops the reactor's first {@code lossReportsToDrop} reports of a lost connection, as
     * Jython's reactor sometimes does, so that a test can see the guard step in.
     */
    static JythonFuzzingClient start(String url, String agent, Path outdir, String casePatterns,
            int lossReportsToDrop) throws IOException {
        URL jython = JythonFuzzingServer.jarOf("org/python/util/PythonInterpreter.class");
        URL suite = JythonFuzzingServer.jarOf("autobahntestsuite/fuzzing.py");
        System.setProperty("python.cachedir.skip", "true");
        System.setProperty("python.path", Path.of(JythonFuzzingServer.toUri(jython)) + "/Lib");
        String script = String.join("\n",
                "from twisted.internet import reactor",
                "from twisted.internet.error import ConnectionLost",
                "from twisted.python.failure import Failure",
                "from autobahn.websocket import WebSocketProtocol",
                "from autobahntestsuite import fuzzing",
                "from autobahntestsuite.fuzzing import FuzzingClientProtocol, FuzzingClientFactory",
                "GRACE = %d",
                "SWALLOW = [%d]",
                "def _case(p):",
                "    return p.factory.CaseSet.caseClasstoId(p.Case)",
                "_made = FuzzingClientProtocol.connectionMade",
                "def _made_watched(self):",
                "    self._duplex_lost = False",
                "    self._duplex_advanced = False",
                "    self._duplex_forced = False",
                "    self._duplex_closed_checks = 0",
                "    self.factory._duplex_current = self",
                "    _made(self)",
                "    events.put('start ' + _case(self))",
                "    reactor.callLater(1, _watch, self)",
                "FuzzingClientProtocol.connectionMade = _made_watched",
                "_lost = FuzzingClientProtocol.connectionLost",
                "def _lost_once(self, reason):",
                "    if self._duplex_lost or (SWALLOW[0] > 0 and not self._duplex_forced):",
                "        return",
                "    self._duplex_lost = True",
                "    _lost(self, reason)",
                "FuzzingClientProtocol.connectionLost = _lost_once",
                "_advance = FuzzingClientFactory.clientConnectionLost",
                "def _advance_once(self, connector, reason):",
                "    p = self._duplex_current",
                "    if p._duplex_advanced:",
                "        return",
                "    if SWALLOW[0] > 0 and not p._duplex_forced:",
                "        SWALLOW[0] -= 1",
                "        return",
                "    p._duplex_advanced = True",
                "    _advance(self, connector, reason)",
                "FuzzingClientFactory.clientConnectionLost = _advance_once",
                "def _watch(p):",
                "    if p._duplex_lost:",
                "        return",
                "    if p.state == WebSocketProtocol.STATE_CLOSED:",
                "        p._duplex_closed_checks += 1",
                "    if p._duplex_closed_checks < GRACE:",
                "        reactor.callLater(1, _watch, p)",
                "        return",
                "    events.put('lost-report-missing ' + _case(p))",
                "    p._duplex_forced = True",
                "    try:",
                "        p.transport.abortConnection()",
                "    except Exception:",
                "        pass",
                "    reactor.callLater(1, _report_lost, p)",
                "def _report_lost(p):",
                "    reason = Failure(ConnectionLost('the reactor never reported this connection lost'))",
                "    p.connectionLost(reason)",
                "    p.factory.clientConnectionLost(p.transport.connector, reason)",
                "_init = FuzzingClientFactory.__init__",
                "def _init_counted(self, spec, debug=False):",
                "    _init(self, spec, debug)",
                "    events.put('cases ' + str(len(self.specCases)))",
                "FuzzingClientFactory.__init__ = _init_counted",
                "spec = {'outdir': %s, 'options': {'failByDrop': False},",
                "        'servers': [{'url': %s, 'agent': %s}],",
                "        'cases': %s, 'exclude-cases': [], 'exclude-agent-cases': {}}",
                "fuzzing.startClient(spec)",
                "reactor.run(installSignalHandlers=0)");
        String code = String.format(script, LOST_GRACE_SECONDS, lossReportsToDrop,
                JythonFuzzingServer.pythonString(outdir.toString()),
                JythonFuzzingServer.pythonString(url), JythonFuzzingServer.pythonString(agent),
                JythonFuzzingServer.pythonList(casePatterns));
        ClassLoader isolated = new URLClassLoader(new URL[] {jython, suite}, ClassLoader.getPlatformClassLoader());
        JythonFuzzingClient client = new JythonFuzzingClient();
        Thread reactor = new Thread(() -> client.run(isolated, code), "autobahn-fuzzingclient");
        reactor.setContextClassLoader(isolated);
        reactor.setDaemon(true);
        reactor.start();
        return client;
    }

    private void run(ClassLoader isolated, String code) {
        try {
            Class<?> interpreter = isolated.loadClass("org.python.util.PythonInterpreter");
            Object python = interpreter.getConstructor().newInstance();
            interpreter.getMethod("set", String.class, Object.class).invoke(python, "events", events);
            interpreter.getMethod("exec", String.class).invoke(python, code);
            events.add("finished");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            events.add("error " + cause);
        }
    }

    /** The next event, or null if none came within {@code timeout} {@code unit}s. */
    String nextEvent(long timeout, TimeUnit unit) throws InterruptedException {
        return events.poll(timeout, unit);
    }
}
