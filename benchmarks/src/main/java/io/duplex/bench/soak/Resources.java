package io.duplex.bench.soak;

import io.duplex.nio.WebSocketServer;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the soak compares before and after the churn, read inside the server's JVM: open file descriptors,
 * live threads, heap used after a full GC, direct memory (the JDK's {@code direct} pool) less what the loops'
 * free lists keep for reuse (bounded, and more of it is kept after a peak of slow readers than before), the
 * transport's pooled outbound buffers still acquired, and open connections. RSS is reported, not compared:
 * the C heap (zlib's state among it) returns memory to the system when it pleases.
 */
record Resources(long fds, long threads, long heapUsed, long directBytes, long directCount,
        long pooledOutstanding, long pooledRetainedBytes, long connections, long rssKiB, String threadNames) {

    /**
     * Waits (up to 60 s) until the server has no connection left, then {@code settleMillis} more for the loops'
     * timers and the JDK's own clean-up, runs a full GC twice, and reads every figure.
     */
    static Resources measure(WebSocketServer server, long settleMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(settleMillis);
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(200);
        }
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        String names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted()
                .collect(Collectors.joining(","));
        return new Resources(countFds(), ManagementFactory.getThreadMXBean().getThreadCount(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), direct.getMemoryUsed(),
                direct.getCount(), server.loops().outstandingBuffers(), server.loops().retainedBufferBytes(),
                server.connectionCount(), readRssKiB(),
                names);
    }

    /** The entries of /proc/self/fd, less the one the listing itself holds open. */
    private static long countFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count() - 1;
        }
    }

    private static long readRssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** The figures as one line of key=value pairs, read back by {@link #parse}. */
    String line() {
        return "measure fds=" + fds + " threads=" + threads + " heapUsed=" + heapUsed + " directBytes="
                + directBytes + " directCount=" + directCount + " pooledOutstanding=" + pooledOutstanding
                + " pooledRetainedBytes=" + pooledRetainedBytes + " connections=" + connections + " rssKiB=" + rssKiB;
    }

    /** The live threads' names, for a soak that finds their count changed. */
    String threadNamesLine() {
        return "threads " + threadNames;
    }

    /** The inverse of {@link #line()} and {@link #threadNamesLine()}. */
    static Resources parse(String line, String threadsLine) {
        Map<String, Long> v = new HashMap<>();
        Arrays.stream(line.substring("measure ".length()).split(" ")).map(kv -> kv.split("=", 2))
                .forEach(kv -> v.put(kv[0], Long.parseLong(kv[1])));
        return new Resources(v.get("fds"), v.get("threads"), v.get("heapUsed"), v.get("directBytes"),
                v.get("directCount"), v.get("pooledOutstanding"), v.get("pooledRetainedBytes"), v.get("connections"),
                v.get("rssKiB"),
                threadsLine.substring("threads ".length()));
    }

    /** Each compared figure by name, in report order. */
    Map<String, Long> compared() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("fds", fds);
        m.put("threads", threads);
        m.put("heapUsed", heapUsed);
        m.put("directBytes - pooled", directBytes - pooledRetainedBytes);
        m.put("pooledOutstanding", pooledOutstanding);
        m.put("connections", connections);
        return m;
    }
}
