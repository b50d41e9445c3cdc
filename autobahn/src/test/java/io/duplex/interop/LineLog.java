package io.duplex.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The lines a side of a scenario reports, in arrival order: a peer program's stdout, or what one of our
 * endpoints observed. Thread-safe; a test waits on it until the lines it needs have arrived.
 */
final class LineLog {

    private final List<String> lines = new ArrayList<>();

    synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    synchronized List<String> snapshot() {
        return List.copyOf(lines);
    }

    /**
     * Waits until some line satisfies {@code condition}.
     *
     * @return the first such line, or {@code null} when {@code timeout} passed first
     */
    synchronized String await(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : lines) {
                if (condition.test(line)) {
                    return line;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until {@code count} lines start with {@code prefix}; false when {@code timeout} passed first. */
    synchronized boolean awaitCount(String prefix, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.stream().filter(l -> l.startsWith(prefix)).count() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public synchronized String toString() {
        return String.join("\n", lines);
    }
}
