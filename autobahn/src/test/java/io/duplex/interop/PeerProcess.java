package io.duplex.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A peer program running as a child process: its stdout lines go to a {@link LineLog}, the tail of its
 * stderr is kept for failure messages. {@link #close()} kills it and its children; use it in
 * try-with-resources so no peer outlives its test.
 */
final class PeerProcess implements AutoCloseable {

    private static final int STDERR_KEPT = 8 << 10;

    private final String name;
    private final Process process;
    private final StringBuilder stderr = new StringBuilder();
    final LineLog out = new LineLog();

    private PeerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        pump(process.getInputStream(), out::add, name + "-stdout");
        pump(process.getErrorStream(), this::keepStderr, name + "-stderr");
    }

    /** Starts {@code command} in {@code directory}. */
    static PeerProcess start(String name, Path directory, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile());
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        pb.environment().put("PYTHONUNBUFFERED", "1");
        return new PeerProcess(name, pb.start());
    }

    /**
     * Waits for a stdout line starting with {@code prefix} and returns the rest of it.
     *
     * @throws AssertionError when none came within {@code timeout}, with the peer's output
     */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        String line = out.await(l -> l.startsWith(prefix), timeout);
        if (line == null) {
            throw new AssertionError(name + " printed no \"" + prefix + "\" line within " + timeout + "\n" + report());
        }
        return line.substring(prefix.length());
    }

    /**
     * Waits for the program to exit.
     *
     * @return its exit code
     * @throws AssertionError when it is still running after {@code timeout}
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + "\n" + report());
        }
        return process.exitValue();
    }

    /** What the program printed so far, for failure messages. */
    String report() {
        synchronized (stderr) {
            return "--- " + name + " stdout:\n" + out + "\n--- " + name + " stderr (tail):\n" + stderr;
        }
    }

    @Override
    public void close() throws InterruptedException {
        // Collected before the kill: a browser's helper processes are orphaned once their parent is gone.
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // nothing more can be done about a process that will not die within the test's bounds
            }
        }
    }

    private void keepStderr(String line) {
        synchronized (stderr) {
            stderr.append(line).append('\n');
            if (stderr.length() > STDERR_KEPT) {
                stderr.delete(0, stderr.length() - STDERR_KEPT);
            }
        }
    }

    private static void pump(InputStream in, Consumer<String> sink, String threadName) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process was killed: its output ends here
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }
}
