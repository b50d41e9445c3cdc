package io.duplex.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java code blocks are complete programs that compile and run as written: each block is compiled
 * with javax.tools against duplex-core, duplex-nio and SLF4J, and the server and client snippets run in JVMs
 * of their own, the server staying up after {@code start()} returns until it is told to stop.
 */
class ReadmeSnippetsTest {

    private static final Pattern PUBLIC_CLASS = Pattern.compile("public (?:final )?class (\\w+)");
    private static final long DEADLINE_SECONDS = 30;

    private static List<String> blocks;

    @TempDir
    Path dir;

    @BeforeAll
    static void readReadme() throws IOException {
        blocks = SnippetCompiler.javaBlocks(SnippetCompiler.readDoc("README.md"));
        assertTrue(blocks.size() >= 2, "expected the server and client snippets in README.md, found " + blocks.size());
    }

    @Test
    void everyJavaBlockCompiles() throws Exception {
        for (String block : blocks) {
            compile(block, dir.resolve(className(block)));
        }
    }

    @Test
    void serverSnippetKeepsServingAfterStartReturnsAndTheClientSnippetTalksToIt() throws Exception {
        String serverSource = block("WebSocketServer.builder()");
        String clientSource = block("WebSocketClient.builder()");
        int port = freePort();
        // The snippets use port 8080; a shared build machine may have it taken, so the test picks a free one.
        Path serverClasses = compile(onPort(serverSource, ".port(8080)", ".port(" + port + ")"), dir.resolve("server"));
        Path clientClasses = compile(onPort(clientSource, "ws://localhost:8080/", "ws://localhost:" + port + "/"),
                dir.resolve("client"));

        Process server = launch(serverClasses, className(serverSource), dir.resolve("server.out"));
        try {
            awaitListening(server, port);
            // Well after start() returned in the snippet's main: the JVM is still up and serving.
            Thread.sleep(500);
            assertTrue(server.isAlive(), "the server snippet's JVM exited: " + read(dir.resolve("server.out")));

            Process client = launch(clientClasses, className(clientSource), dir.resolve("client.out"));
            assertTrue(client.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS), "the client snippet did not finish");
            String out = read(dir.resolve("client.out"));
            assertEquals(0, client.exitValue(), out);
            assertTrue(out.contains("got hello"), out);
            assertTrue(out.contains("closed 1000"), out);
            assertTrue(server.isAlive(), "the server stopped after its client left");
        } finally {
            // SIGTERM: the snippet's shutdown hook stops the server, awaitTermination() returns, the JVM exits.
            server.destroy();
            boolean exited = server.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS);
            if (!exited) {
                server.destroyForcibly();
            }
            assertTrue(exited, "the server snippet did not stop on SIGTERM");
        }
        assertFalse(listening(port), "still listening after the server snippet stopped");
    }

    private static String block(String marker) {
        return blocks.stream().filter(b -> b.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("no README block with " + marker));
    }

    private static String onPort(String source, String from, String to) {
        assertTrue(source.contains(from), "the snippet no longer contains " + from);
        return source.replace(from, to);
    }

    private static String className(String source) {
        Matcher m = PUBLIC_CLASS.matcher(source);
        assertTrue(m.find(), "a README Java block is not a complete program (no public class):\n" + source);
        return m.group(1);
    }

    /** Compiles {@code source} into {@code out}, failing with javac's messages. */
    private static Path compile(String source, Path out) throws IOException {
        return SnippetCompiler.compile(className(source), source, out);
    }

    private static String classpath() {
        return SnippetCompiler.classpath();
    }

    private static Process launch(Path classes, String mainClass, Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", classes + File.pathSeparator + classpath(), mainClass)
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static void awaitListening(Process server, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!listening(port)) {
            assertTrue(server.isAlive(), "the server snippet exited");
            assertTrue(System.nanoTime() < deadline, "the server snippet never listened on " + port);
            Thread.sleep(100);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
