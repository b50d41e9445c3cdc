package io.duplex.bench.soak;

import io.duplex.bench.soak.SoakClient.Kind;
import io.duplex.bench.soak.SoakClient.Outcome;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The churn soak: starts a Duplex echo server ({@link SoakServer}) in a JVM of its own, runs a warm-up of
 * cycles, measures the server's {@link Resources}, runs the soak's cycles (connect / upgrade with
 * permessage-deflate / echo / clean close, FIN, RST or slow reader), measures again and compares. Exit status:
 * 0 when every compared figure is back where it was (heap within the stated tolerance) and every cycle did what
 * the protocol says; 1 on a leak; 2 on a failed cycle; 64 on bad usage. With {@code --strict-close true} a
 * slow reader that is reset, or sees the server's FIN, before a whole Close frame reached it is a failed cycle
 * too (issue 12, defect 3: the lingering close).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.duplex.bench.soak.ChurnSoak [--cycles 100000] [--warmup 5000]
 *     [--clients 8] [--mix clean=40,fin=30,rst=29,slow=1] [--max-buffered 262144] [--settle-ms 3000]
 *     [--heap-tolerance 2097152] [--server-log FILE] [--strict-close false]
 *     [--server-jvm "-Xmx256m -XX:+UseG1GC -Djdk.nio.maxCachedBufferSize=0"]
 * </pre>
 *
 * <p>The server's JVM keeps no temporary direct buffers ({@code jdk.nio.maxCachedBufferSize=0}): the JDK's
 * per-thread cache of them, which grows until it holds the largest writes a thread has made, would otherwise
 * blur the direct-memory figure with memory that is neither Duplex's nor a leak.
 */
public final class ChurnSoak {

    private long cycles = 100_000;
    private long warmup = 5_000;
    private int clients = 8;
    private String mix = "clean=40,fin=30,rst=29,slow=1";
    private long maxBuffered = 256 << 10;
    private long settleMillis = 3_000;
    private long heapTolerance = 2L << 20;
    private String serverJvm = "-Xmx256m -XX:+UseG1GC -Djdk.nio.maxCachedBufferSize=0";
    private File serverLog = new File("benchmarks/target/soak-server.log");
    private boolean strictClose;

    private final PrintStream out = System.out;
    private Kind[] kinds;
    private Process server;
    private BufferedReader serverOut;
    private PrintStream serverIn;
    private int port;

    private ChurnSoak() {
    }

    public static void main(String[] args) throws Exception {
        ChurnSoak soak = new ChurnSoak();
        soak.parse(args);
        System.exit(soak.run());
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage("missing value for " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--cycles" -> cycles = Long.parseLong(v);
                case "--warmup" -> warmup = Long.parseLong(v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--mix" -> mix = v;
                case "--max-buffered" -> maxBuffered = Long.parseLong(v);
                case "--settle-ms" -> settleMillis = Long.parseLong(v);
                case "--heap-tolerance" -> heapTolerance = Long.parseLong(v);
                case "--server-jvm" -> serverJvm = v;
                case "--server-log" -> serverLog = new File(v);
                case "--strict-close" -> strictClose = Boolean.parseBoolean(v);
                default -> usage("unknown option " + args[i]);
            }
        }
        kinds = kinds(mix);
    }

    private static void usage(String why) {
        System.err.println(why + "\nsee the Javadoc of " + ChurnSoak.class.getName() + " for the options");
        System.exit(64);
    }

    /** The mix as 100 kinds in a fixed shuffled order: cycle n is of kind {@code kinds[n % 100]}. */
    private static Kind[] kinds(String mix) {
        List<Kind> all = new ArrayList<>();
        for (String part : mix.split(",")) {
            String[] kv = part.split("=");
            Kind k = Kind.valueOf(kv[0].trim().toUpperCase(java.util.Locale.ROOT));
            all.addAll(Collections.nCopies(Integer.parseInt(kv[1].trim()), k));
        }
        if (all.size() != 100) {
            usage("the mix must add up to 100: " + mix);
        }
        Collections.shuffle(all, new Random(12));
        return all.toArray(new Kind[0]);
    }

    private int run() throws Exception {
        startServer();
        try {
            out.printf("churn soak: %,d cycles (after %,d warm-up cycles), %d client threads, mix %s, server "
                    + "maxBufferedBytes %,d, permessage-deflate on, server JVM %s%n", cycles, warmup, clients, mix,
                    maxBuffered, serverJvm);
            Tally warm = cycles(0, warmup);
            if (warm.failed() > 0) {
                warm.print("warm-up");
                return 2;
            }
            Resources before = measure();
            long t0 = System.nanoTime();
            Tally soak = cycles(warmup, cycles);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Resources after = measure();
            soak.print("soak");
            out.printf("%,d cycles in %.1f s: %,.0f cycles/s%n", cycles, seconds, cycles / seconds);
            boolean leak = compare(before, after);
            String result = soak.failed() > 0 ? "FAILED_CYCLES" : leak ? "LEAK" : "PASS";
            out.printf("soak result=%s cycles=%d seconds=%.1f cyclesPerSecond=%.0f%n", result, cycles, seconds,
                    cycles / seconds);
            return soak.failed() > 0 ? 2 : leak ? 1 : 0;
        } finally {
            stopServer();
        }
    }

    private void startServer() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.addAll(Arrays.asList(serverJvm.trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SoakServer.class.getName(), "0",
                Long.toString(maxBuffered), Long.toString(settleMillis)));
        File dir = serverLog.getAbsoluteFile().getParentFile();
        if (dir != null) {
            dir.mkdirs();
        }
        server = new ProcessBuilder(cmd).redirectError(serverLog).start();
        serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
        serverIn = new PrintStream(server.getOutputStream(), true, StandardCharsets.US_ASCII);
        String line = serverOut.readLine();
        if (line == null || !line.startsWith("listening duplex-soak ")) {
            throw new IOException("the soak server did not start (see " + serverLog + "): " + line);
        }
        port = Integer.parseInt(line.substring("listening duplex-soak ".length()).trim());
    }

    private void stopServer() throws InterruptedException {
        serverIn.println("quit");
        if (!server.waitFor(15, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    private Resources measure() throws IOException {
        serverIn.println("measure");
        String line = serverOut.readLine();
        String threads = serverOut.readLine();
        if (line == null || threads == null) {
            throw new IOException("the soak server died (see " + serverLog + ")");
        }
        return Resources.parse(line, threads);
    }

    /** Runs cycles {@code first} to {@code first + count - 1} on {@link #clients} threads. */
    private Tally cycles(long first, long count) throws InterruptedException {
        Tally tally = new Tally();
        AtomicLong next = new AtomicLong(first);
        long end = first + count;
        long step = Math.max(1, count / 10);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            long seed = first * 31 + t;
            Thread thread = new Thread(() -> {
                SoakClient client = new SoakClient(address, seed);
                for (long n; (n = next.getAndIncrement()) < end;) {
                    Kind kind = kinds[(int) (n % kinds.length)];
                    try {
                        Outcome o = client.cycle(n, kind);
                        if (strictClose && (o == Outcome.SLOW_RESET || o == Outcome.SLOW_EOF)) {
                            throw new IOException("no whole Close reached the slow reader: " + o);
                        }
                        tally.done(o);
                    } catch (IOException | RuntimeException e) {
                        tally.failed(n, kind, e);
                    }
                    if ((n - first + 1) % step == 0) {
                        System.err.printf("  %,d / %,d cycles%n", n - first + 1, count);
                    }
                }
            }, "soak-client-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return tally;
    }

    /** Prints the table and returns whether anything leaked. */
    private boolean compare(Resources before, Resources after) {
        boolean leak = false;
        out.printf("%-22s %15s %15s %12s%n", "server resource", "before", "after", "delta");
        Map<String, Long> b = before.compared();
        Map<String, Long> a = after.compared();
        for (String name : b.keySet()) {
            long delta = a.get(name) - b.get(name);
            boolean ok = name.equals("heapUsed") ? Math.abs(delta) <= heapTolerance : delta == 0;
            leak |= !ok;
            out.printf("%-22s %,15d %,15d %,12d %s%n", name, b.get(name), a.get(name), delta,
                    ok ? (name.equals("heapUsed") ? "ok (tolerance " + heapTolerance + ")" : "ok") : "LEAK");
        }
        out.printf("%-22s %,15d %,15d %,12d (reported, not compared)%n", "directBytes", before.directBytes(),
                after.directBytes(), after.directBytes() - before.directBytes());
        out.printf("%-22s %,15d %,15d %,12d (reported, not compared)%n", "directCount", before.directCount(),
                after.directCount(), after.directCount() - before.directCount());
        out.printf("%-22s %,15d %,15d %,12d (reported, not compared)%n", "pooledRetainedBytes",
                before.pooledRetainedBytes(), after.pooledRetainedBytes(),
                after.pooledRetainedBytes() - before.pooledRetainedBytes());
        out.printf("%-22s %,15d %,15d %,12d (reported, not compared)%n", "rssKiB", before.rssKiB(),
                after.rssKiB(), after.rssKiB() - before.rssKiB());
        if (before.threads() != after.threads()) {
            out.println("threads before: " + before.threadNames());
            out.println("threads after:  " + after.threadNames());
        }
        return leak;
    }

    /** Outcome counts, thread-safe. */
    private static final class Tally {
        private final AtomicLongArray outcomes = new AtomicLongArray(Outcome.values().length);
        private final AtomicLong failed = new AtomicLong();
        private final ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();

        void done(Outcome o) {
            outcomes.incrementAndGet(o.ordinal());
        }

        void failed(long n, Kind kind, Exception e) {
            if (failed.incrementAndGet() <= 10) {
                firstFailures.add("cycle " + n + " (" + kind + "): " + e);
            }
        }

        long failed() {
            return failed.get();
        }

        void print(String phase) {
            Map<Outcome, Long> m = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                m.put(o, outcomes.get(o.ordinal()));
            }
            System.out.println(phase + " outcomes: " + m + ", failed cycles: " + failed.get());
            firstFailures.forEach(f -> System.out.println("  " + f));
        }
    }
}
