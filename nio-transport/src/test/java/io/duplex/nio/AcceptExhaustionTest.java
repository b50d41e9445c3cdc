package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * When the process runs out of file descriptors, accept fails and the connection waits in the backlog. The
 * acceptor must pause rather than spin its loop on that connection, and must take it once descriptors are
 * free again.
 */
class AcceptExhaustionTest extends LoopbackFixture {

    private static final Path PROC_STAT = Path.of("/proc/self/stat");
    /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100;
    /** Above this many descriptors, running out on purpose costs too much time and memory for a unit test. */
    private static final long MAX_LIMIT = 65_536;

    @Test
    void anAcceptorOutOfDescriptorsPausesInsteadOfSpinningAndRecovers() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(PROC_STAT), "skipped: needs Linux's /proc/self");
        long limit = openFilesLimit();
        Assumptions.assumeTrue(limit <= MAX_LIMIT, () -> "skipped: this process may open " + limit
                + " files (ulimit -n); the test runs out of descriptors on purpose and needs a limit of at most "
                + MAX_LIMIT);
        WebSocketServer server = server(new Recorder());
        // Opened now: connecting later needs no new descriptor on this side.
        SocketChannel client = SocketChannel.open();
        List<FileInputStream> held = new ArrayList<>();
        try (FileChannel statFile = FileChannel.open(PROC_STAT)) {
            exhaustDescriptors(held, limit);
            client.connect(new InetSocketAddress("127.0.0.1", server.port()));
            // The server's accept now fails with "Too many open files" for as long as we hold them all.
            long ticks0 = cpuTicks(statFile);
            long wall0 = System.nanoTime();
            Thread.sleep(1_500);
            double busy = (double) (cpuTicks(statFile) - ticks0) / TICKS_PER_SECOND / ((System.nanoTime() - wall0) / 1e9);
            assertTrue(busy < 0.35, "the process used " + busy + " of a core while accept kept failing");
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

    /**
     * The process's user + system CPU time so far, in clock ticks (proc(5): fields 14 and 15), read through a
     * channel opened before the descriptors ran out; /proc regenerates the file on each read at offset 0.
     */
    private static long cpuTicks(FileChannel statFile) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        statFile.read(buf, 0);
        String stat = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        // The command name in parentheses may hold spaces: count fields after its closing parenthesis.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
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
