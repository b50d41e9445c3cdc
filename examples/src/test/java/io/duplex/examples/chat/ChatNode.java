package io.duplex.examples.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** The server's gauge of open WebSocket connections, in the Prometheus scrape of {@code /metrics}. */
    private static final Pattern OPEN_CONNECTIONS =
            Pattern.compile("^duplex_connections_open\\{[^}]*\\} ([0-9.]+)$", Pattern.MULTILINE);

    private final Process process;
    private final String url;
    /** The node's {@code /metrics} URL, or null when started without. */
    private final String metricsUrl;
    private final StringBuilder output = new StringBuilder();

    ChatNode(String redisUrl) throws Exception {
        this(redisUrl, false);
    }

    /** With {@code metrics}, the node also serves its Prometheus metrics, for {@link #openConnections()}. */
    ChatNode(String redisUrl, boolean metrics) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = System.getProperty("java.home") + "/bin/java";
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", cp,
                "io.duplex.examples.Main", "chat", "--port", "0", "--host", "127.0.0.1", "--loops", "2",
                "--redis", redisUrl));
        if (metrics) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            command.addAll(List.of("--metrics-port", Integer.toString(port)));
            metricsUrl = "http://127.0.0.1:" + port + "/metrics";
        } else {
            metricsUrl = null;
        }
        process = new ProcessBuilder(command)
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
        return URI.create(url).getPort();
    }

    /** The WebSocket connections open on this node now, as its own metrics report them. */
    int openConnections() throws IOException, InterruptedException {
        if (metricsUrl == null) {
            throw new IllegalStateException("node started without metrics");
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = OPEN_CONNECTIONS.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IOException("no duplex_connections_open in " + metricsUrl + ": " + r.statusCode() + " "
                    + r.body());
        }
        return (int) Double.parseDouble(m.group(1));
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
