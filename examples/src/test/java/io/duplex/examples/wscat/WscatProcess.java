package io.duplex.examples.wscat;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code java -cp <this test's class path> io.duplex.examples.Main wscat ARGS} in a JVM of its own, as a user
 * runs it: its stdin written by the test, its stdout and stderr collected line by line.
 */
final class WscatProcess implements AutoCloseable {

    /** Bounds a hang only: generous for a loaded 2-core machine starting a JVM. */
    static final long DEADLINE_SECONDS = 60;

    private final Process process;
    private final OutputStream stdin;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private WscatProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        outReader = collect(process.getInputStream(), out);
        errReader = collect(process.getErrorStream(), err);
    }

    static WscatProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.duplex.examples.Main", "wscat"));
        command.addAll(List.of(args));
        return new WscatProcess(new ProcessBuilder(command).start());
    }

    private static Thread collect(InputStream stream, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Writes {@code line} and a newline to wscat's stdin. */
    void type(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Closes wscat's stdin (Ctrl-D). */
    void endInput() throws IOException {
        stdin.close();
    }

    /** Waits for a stdout line matching {@code p}; returns it. */
    String awaitOut(Predicate<String> p, String what) throws InterruptedException {
        return await(out, p, what);
    }

    /** Waits for a stderr line matching {@code p}; returns it. */
    String awaitErr(Predicate<String> p, String what) throws InterruptedException {
        return await(err, p, what);
    }

    private String await(List<String> lines, Predicate<String> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (p.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !outReader.isAlive() && !errReader.isAlive()) {
                    fail("wscat never printed " + what + "; " + this);
                }
                TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    /** Waits for the process to exit and returns its status. */
    int exitStatus() throws InterruptedException {
        assertTrue(process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS), "wscat did not exit; " + this);
        // The collectors read what the process wrote last, up to the end of its streams.
        outReader.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        errReader.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        return process.exitValue();
    }

    List<String> out() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    List<String> err() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    /** SIGTERM, as Ctrl-C would. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "stdout " + out() + ", stderr " + err();
    }
}
