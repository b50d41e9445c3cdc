package io.duplex.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.duplex.nio.WebSocketServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The Autobahn TestSuite in the server role: the suite's fuzzing client (Jython, in this JVM) against the echo
 * testee, every case of sections 1-10 that the suite's version has. Fails on a case missing from the report or
 * FAILED, UNIMPLEMENTED or NON-STRICT, and on a run that stops making progress (no case started for
 * {@value #STALL_SECONDS} seconds), with a thread dump, instead of hanging the build.
 *
 * <p>Properties: {@code -Dautobahn.skip=true} skips it, {@code -Dautobahn.cases=6.6.*,9.1.1} narrows it,
 * {@code -Dautobahn.testee=<main class>} picks the testee ({@code io.duplex.examples.BlockingEchoServer}
 * runs the core-only blocking server); the report lands in {@code autobahn/target/autobahn-server-reports}.
 */
@DisabledIfSystemProperty(named = "autobahn.skip", matches = "true", disabledReason = "-Dautobahn.skip=true")
class ServerRoleSuiteTest {

    /** Longer than any case takes on a loaded 2-core machine (the slowest, 9.5.1, takes about 18 s idle). */
    private static final long STALL_SECONDS = 600;
    private static final String AGENT = "duplex";
    private static final String DEFAULT_TESTEE = NioEchoTestee.class.getName();

    @Test
    void everyCasePasses() throws Exception {
        Path outdir = SuiteReport.freshDir("autobahn.server.reports", "target/autobahn-server-reports");
        String testee = System.getProperty("autobahn.testee", DEFAULT_TESTEE);
        try (Testee server = Testee.start(testee)) {
            JythonFuzzingClient client = JythonFuzzingClient.start("ws://127.0.0.1:" + server.port(), AGENT,
                    outdir, System.getProperty("autobahn.cases", "*"));
            int planned = -1;
            List<String> started = new ArrayList<>();
            List<String> lostReportMissing = new ArrayList<>();
            for (String event; !"finished".equals(event = client.nextEvent(STALL_SECONDS, TimeUnit.SECONDS)); ) {
                if (event == null) {
                    fail("the fuzzing client made no progress for " + STALL_SECONDS + " s; last case started: "
                            + (started.isEmpty() ? "none" : started.get(started.size() - 1)) + "\n"
                            + threadDump());
                } else if (event.startsWith("cases ")) {
                    planned = Integer.parseInt(event.substring("cases ".length()));
                } else if (event.startsWith("start ")) {
                    started.add(event.substring("start ".length()));
                } else if (event.startsWith("lost-report-missing ")) {
                    String id = event.substring("lost-report-missing ".length());
                    lostReportMissing.add(id);
                    System.out.println("case " + id + ": closed, but Jython's reactor did not report the"
                            + " connection lost within " + JythonFuzzingClient.LOST_GRACE_SECONDS
                            + " s; aborted it and reported the loss (the verdict is the suite's)");
                } else {
                    fail("the fuzzing client failed: " + event);
                }
            }

            List<CaseResult> results = SuiteReport.results(outdir, AGENT);
            Summary summary = new Summary(AGENT, results);
            String report = summary.render(true);
            System.out.println(report);
            if (!lostReportMissing.isEmpty()) {
                System.out.println("cases whose connection loss the reactor did not report: " + lostReportMissing);
            }
            assertTrue(planned > 0, "the fuzzing client did not say how many cases it would run");
            assertEquals(planned, started.size(), "cases started\n" + report);
            assertEquals(planned, results.size(), "cases missing from the report\n" + report);
            assertTrue(summary.passed(true), report);
        }
    }

    private static String threadDump() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            b.append('"').append(e.getKey().getName()).append("\" ").append(e.getKey().getState()).append('\n');
            for (StackTraceElement frame : e.getValue()) {
                b.append("    at ").append(frame).append('\n');
            }
        }
        return b.toString();
    }

    /** The server under test: the default NIO testee, stopped afterwards, or any class's {@code main(port)}. */
    private interface Testee extends AutoCloseable {

        int port();

        @Override
        void close();

        static Testee start(String mainClass) throws Exception {
            if (mainClass.equals(DEFAULT_TESTEE)) {
                WebSocketServer server = ServerCommand.start("127.0.0.1", 0, 0);
                return new Testee() {
                    @Override
                    public int port() {
                        return server.port();
                    }

                    @Override
                    public void close() {
                        server.stop(Duration.ofSeconds(5));
                    }
                };
            }
            int port = JythonFuzzingServer.freeLoopbackPort();
            java.lang.reflect.Method main = Class.forName(mainClass).getMethod("main", String[].class);
            Thread runner = new Thread(() -> {
                try {
                    main.invoke(null, (Object) new String[] {Integer.toString(port)});
                } catch (ReflectiveOperationException e) {
                    e.printStackTrace();
                }
            }, "autobahn-testee");
            runner.setDaemon(true); // a main that serves until the JVM exits must not hold the test
            runner.start();
            awaitListening(port);
            return new Testee() {
                @Override
                public int port() {
                    return port;
                }

                @Override
                public void close() {
                    // A main(port) testee has no stop; it ends with this JVM.
                }
            };
        }

        private static void awaitListening(int port) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                    return;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the testee did not listen on port " + port + " within 30 s", notYet);
                    }
                    Thread.sleep(100);
                }
            }
        }
    }
}
