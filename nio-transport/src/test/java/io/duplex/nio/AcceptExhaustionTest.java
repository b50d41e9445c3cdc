package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * When the process runs out of file descriptors, accept fails and the connection waits in the backlog. The
 * acceptor must pause rather than spin its loop on that connection, and must take it once descriptors are
 * free again.
 */
class AcceptExhaustionTest extends LoopbackFixture {

    private static final Path PROC_STAT = Path.of("/proc/self/stat");
    /** Descriptors the test leaves itself above those already open: running out of them takes a moment. */
    private static final long HEADROOM = 2_048;

    @Test
    void anAcceptorOutOfDescriptorsPausesInsteadOfSpinningAndRecovers() throws Exception {
        requireInCi(Files.isReadable(PROC_STAT), "needs Linux's /proc/self");
        requireInCi(prlimitAvailable(), "needs prlimit (util-linux) to lower its own limit on open files");
        long original = openFilesLimit();
        // Running out of descriptors on purpose: lower this process's own soft limit, so the cost does not
        // depend on the machine's ulimit -n, and put it back afterwards for the tests that follow.
        setOpenFilesLimit(Math.min(original, openDescriptors() + HEADROOM));
        try {
            acceptStallsAndRecovers(openFilesLimit());
        } finally {
            setOpenFilesLimit(original);
        }
    }

    private void acceptStallsAndRecovers(long limit) throws Exception {
        WebSocketServer server = server(new Recorder());
        // Opened now: connecting later needs no new descriptor on this side.
        SocketChannel client = SocketChannel.open();
        List<FileInputStream> held = new ArrayList<>();
        List<Thread> loops = loopThreads();
        try {
            exhaustDescriptors(held, limit);
            client.connect(new InetSocketAddress("127.0.0.1", server.port()));
            // The server's accept now fails with "Too many open files" for as long as we hold them all.
            // Only the loops' own CPU time counts: the rest of the test JVM (the JIT, the collector, what
            // earlier tests left behind) is no part of the question.
            long cpu0 = cpuNanos(loops);
            long wall0 = System.nanoTime();
            Thread.sleep(1_500);
            double busy = (double) (cpuNanos(loops) - cpu0) / (System.nanoTime() - wall0);
            assertTrue(busy < 0.35, "the event loops used " + busy + " of a core while accept kept failing");
        } finally {
            for (FileInputStream f : held) {
                f.close();
            }
        }
        // Descriptors are free again: the waiting connection is accepted and upgraded.
        client.write(ByteBuffer.wrap(RawClient.UPGRADE.getBytes(StandardCharsets.ISO_8859_1)));
        client.socket().setSoTimeout(10_000);
        byte[] head = new byte[12];
        int n = client.socket().getInputStream().readNBytes(head, 0, head.length);
        assertTrue(new String(head, 0, n, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101"),
                "the connection that waited was upgraded: " + new String(head, 0, n, StandardCharsets.ISO_8859_1));
        client.close();
    }

    /** The threads of the fixture's loops, found by running a task on each. */
    private List<Thread> loopThreads() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CountDownLatch seen = new CountDownLatch(group.size());
        for (int i = 0; i < group.size(); i++) {
            group.loop(i).execute(() -> {
                threads.add(Thread.currentThread());
                seen.countDown();
            });
        }
        assertTrue(seen.await(10, TimeUnit.SECONDS), "every loop ran a task");
        return threads;
    }

    /** The CPU time {@code threads} used so far, from the platform's per-thread clocks (no file needed). */
    private static long cpuNanos(List<Thread> threads) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : threads) {
            sum += bean.getThreadCpuTime(t.getId());
        }
        return sum;
    }

    /** Skips on a developer machine without {@code what}; fails under {@code CI=true}, where it must run. */
    private static void requireInCi(boolean present, String what) {
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true and this test " + what);
        }
        Assumptions.assumeTrue(present, () -> "skipped: this test " + what);
    }

    private static boolean prlimitAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/prlimit")) || Files.isExecutable(Path.of("/bin/prlimit"));
    }

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Sets this process's soft limit on open files (the hard limit stays) with util-linux's prlimit. */
    private static void setOpenFilesLimit(long soft) throws IOException, InterruptedException {
        String value = soft == Long.MAX_VALUE ? "unlimited" : Long.toString(soft);
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()),
                "--nofile=" + value + ":").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("prlimit --nofile=" + value + ": failed: " + output);
        }
        if (openFilesLimit() != soft) {
            throw new IOException("prlimit set the limit on open files to " + openFilesLimit() + ", not " + soft);
        }
    }

    /** The soft limit on open files, from /proc/self/limits. */
    private static long openFilesLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    private static void exhaustDescriptors(List<FileInputStream> held, long limit) {
        while (held.size() < limit) {
            try {
                held.add(new FileInputStream("/dev/null"));
            } catch (IOException e) {
                return; // out of descriptors
            }
        }
        throw new AssertionError("could not run out of file descriptors after opening " + limit);
    }
}
