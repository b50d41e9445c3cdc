package io.duplex.examples.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat server node in its own JVM: {@code Main chat --port 0 --host 127.0.0.1 --redis URL}, on this test's
 * class path. Its URL is read from the line it prints when it listens.
 */
final class ChatNode implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("WebSocket (ws://\\S+/chat)");

    private final Process process;
    private final String url;
    private final StringBuilder output = new StringBuilder();

    ChatNode(String redisUrl) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = System.getProperty("java.home") + "/bin/java";
        process = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", cp,
                "io.duplex.examples.Main", "chat", "--port", "0", "--host", "127.0.0.1", "--loops", "2",
                "--redis", redisUrl)
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            listening.completeExceptionally(new IllegalStateException("node exited: " + output()));
        }, "chat-node-output");
        reader.setDaemon(true);
        reader.start();
        url = listening.get(60, TimeUnit.SECONDS);
    }

    String url() {
        return url;
    }

    int port() {
        return java.net.URI.create(url).getPort();
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** SIGKILL: the node dies without closing anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
