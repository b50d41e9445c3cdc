package io.duplex.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests, on a free loopback port with a temporary directory and no
 * persistence. Missing redis-server: the test is skipped on a developer machine and fails when
 * {@code CI=true}. {@link #kill()} and {@link #restart()} simulate a crash (SIGKILL) and a restart on the same
 * port; {@link #pause()} and {@link #resume()} a stalled server (SIGSTOP, SIGCONT).
 */
public final class RedisServer implements AutoCloseable {

    private static final File BINARY = new File(envOr("REDIS_SERVER", "/usr/bin/redis-server"));

    private final Path dir;
    private final int port;
    private final List<String> tls;
    private Process process;
    private boolean paused;

    private RedisServer(Path dir, int port, List<String> tls) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Starts one, or skips (fails under CI=true) the calling test when redis-server is missing. */
    public static RedisServer start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /**
     * Starts one that speaks only TLS, with the PEM certificate {@code certificate} (and its chain) and its
     * PEM private key; clients need no certificate. {@link #url()} is then {@code rediss://}. Skips or fails
     * as {@link #start()} does.
     */
    public static RedisServer startTls(Path certificate, Path privateKey) throws IOException, InterruptedException {
        return start(List.of("--tls-cert-file", certificate.toString(), "--tls-key-file", privateKey.toString(),
                "--tls-auth-clients", "no"));
    }

    private static RedisServer start(List<String> tls) throws IOException, InterruptedException {
        String missing = "test needs " + BINARY + " (Debian package redis-server; .ci/install-peers installs it)";
        ExternalPeer.require(BINARY.canExecute(), missing);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServer r = new RedisServer(Files.createTempDirectory("duplex-redis-"), port, tls);
        r.launch();
        return r;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BINARY.getPath(), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no"));
        if (tls.isEmpty()) {
            command.addAll(List.of("--port", Integer.toString(port)));
        } else {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
            command.addAll(tls);
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("redis-server did not listen on " + port + " within 20 s");
    }

    /** {@code redis://127.0.0.1:PORT}, or {@code rediss://127.0.0.1:PORT} when started with TLS. */
    public String url() {
        return (tls.isEmpty() ? "redis" : "rediss") + "://127.0.0.1:" + port;
    }


    /** SIGKILL: Redis dies without a word, losing everything (no persistence). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /**
     * SIGSTOP: Redis stops answering but keeps its connections open (the kernel even accepts new ones), as when
     * it is stalled by a long command, a fork or swapping; nothing is lost.
     */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}: Redis reads and runs what was sent to it meanwhile. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
        paused = false;
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    /** Starts it again on the same port (empty). */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null) {
            if (paused) {
                resume();
            }
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
