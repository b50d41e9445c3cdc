package io.duplex.examples.chat;

import io.duplex.testing.ExternalPeer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real load balancer, HAProxy or nginx, round-robin in front of two ports, with the configuration in
 * {@code haproxy.cfg} or {@code nginx.conf} next to this class (the ones docs/scaling.md gives). Missing
 * binary: skipped on a developer machine, failed when {@code CI=true}.
 */
final class LoadBalancer implements AutoCloseable {

    /** The load balancers tested. */
    enum Kind {
        HAPROXY("/usr/sbin/haproxy", "haproxy", "haproxy.cfg"),
        NGINX("/usr/sbin/nginx", "nginx", "nginx.conf");

        final File binary;
        final String pkg;
        final String config;

        Kind(String binary, String pkg, String config) {
            this.binary = new File(binary);
            this.pkg = pkg;
            this.config = config;
        }

        List<String> command(Path dir, Path cfg) {
            return this == HAPROXY
                    ? List.of(binary.getPath(), "-db", "-f", cfg.toString())
                    : List.of(binary.getPath(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                            "-c", cfg.toString());
        }
    }

    private final Process process;
    private final Path dir;
    private final int port;

    private LoadBalancer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    static LoadBalancer start(Kind kind, int node1, int node2) throws IOException, InterruptedException {
        String missing = "load balancer test needs " + kind.binary + " (Debian package " + kind.pkg
                + "; .ci/install-peers installs it)";
        ExternalPeer.require(kind.binary.canExecute(), missing);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String template;
        try (InputStream in = LoadBalancer.class.getResourceAsStream(kind.config)) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path dir = Files.createTempDirectory("duplex-" + kind.pkg + "-");
        Path cfg = dir.resolve(kind.config);
        Files.writeString(cfg, template.replace("@PORT@", Integer.toString(port)).replace("@DIR@", dir.toString())
                .replace("@NODE1@", Integer.toString(node1)).replace("@NODE2@", Integer.toString(node2)));
        Path log = dir.resolve("out.log");
        Process p = new ProcessBuilder(kind.command(dir, cfg)).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        LoadBalancer lb = new LoadBalancer(p, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!p.isAlive()) {
                String out = Files.readString(log);
                lb.close();
                throw new IOException(kind.pkg + " exited: " + out);
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return lb;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    lb.close();
                    throw new IOException(kind.pkg + " did not listen within 20 s");
                }
                Thread.sleep(20);
            }
        }
    }

    /** The chat page through the balancer. */
    String pageUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** The chat WebSocket through the balancer. */
    String url() {
        return "ws://127.0.0.1:" + port + "/chat";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
