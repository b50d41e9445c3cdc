package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocketConfig;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue #12 §1 against a server with a small heap, in its own JVM ({@code -Xmx64m}): 300 peers each declare
 * a maximum-size frame (text, binary, and the continuation of a fragmented message) and send 16 bytes. Four
 * such peers sufficed to throw that server into {@code OutOfMemoryError} when memory followed the declared
 * length; now it must hold them all with its heap in use under {@link #HEAP_BOUND}, count no internal
 * error, and still echo.
 */
class SmallHeapServerTest {

    private static final long HEAP_BOUND = 40L << 20;
    private static final int PEERS_PER_KIND = 100;

    @Test
    void aSixtyFourMegabyteServerHoldsThreeHundredPeersDeclaringMaximumFrames() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path")
                + (System.getProperty("jdk.module.path") == null ? "" : File.pathSeparator
                        + System.getProperty("jdk.module.path"));
        Path log = Files.createTempFile("small-heap-server", ".log");
        Process server = new ProcessBuilder(java, "-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-XX:+UseSerialGC",
                "-cp", classPath, SmallHeapServerMain.class.getName())
                .redirectError(log.toFile()).start();
        List<RawClient> peers = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream in = server.getOutputStream()) {
            String first = out.readLine();
            assertNotNull(first, () -> "the server did not start: " + read(log));
            int port = Integer.parseInt(first.substring("PORT ".length()));
            long max = WebSocketConfig.defaults().maxFrameSize();
            byte[] fragment = RawClient.frame(0x1, "a first fragment".getBytes(StandardCharsets.US_ASCII));
            fragment[0] &= 0x7F;
            byte[][] attacks = {
                RawClient.frameHeader(0x1, true, max),
                RawClient.frameHeader(0x2, true, max),
                concat(fragment, RawClient.frameHeader(0x0, true, max - 16)),
            };
            byte[] sixteen = new byte[16];
            for (byte[] attack : attacks) {
                for (int i = 0; i < PEERS_PER_KIND; i++) {
                    RawClient peer = new RawClient(port);
                    peers.add(peer);
                    peer.send(RawClient.UPGRADE);
                    assertTrue(peer.readResponseHead().startsWith("HTTP/1.1 101"));
                    peer.send(concat(attack, sixteen));
                }
            }
            try (RawClient probe = new RawClient(port)) {
                probe.upgrade();
                probe.send(RawClient.frame(0x1, "still here".getBytes(StandardCharsets.UTF_8)));
                assertEquals("still here", new String(probe.readFrame().payload(), StandardCharsets.UTF_8));
            }
            in.write("stats\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            String stats = out.readLine();
            assertNotNull(stats, () -> "the server died: " + read(log));
            String[] f = stats.split(" ");
            long heap = Long.parseLong(f[1]);
            System.out.println("small-heap server after " + peers.size() + " peers: heap used " + heap
                    + " B, direct " + f[2] + " B, connections " + f[3] + ", internal errors " + f[4]);
            assertEquals(0, Long.parseLong(f[4]), () -> "internal errors; server log: " + read(log));
            assertEquals(peers.size(), Integer.parseInt(f[3]), "every peer is still connected");
            assertTrue(heap < HEAP_BOUND, "heap in use " + heap + " B with " + peers.size() + " peers");
        } finally {
            for (RawClient peer : peers) {
                peer.close();
            }
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
