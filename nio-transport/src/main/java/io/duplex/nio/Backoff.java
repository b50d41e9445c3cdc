package io.duplex.nio;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When a {@link ReconnectingWebSocket} tries again: exponential backoff with full jitter. Attempt {@code n}
 * (1 for the first retry of an outage) waits a uniformly random time between zero and
 * {@code min(maxDelay, initialDelay × multiplier^(n-1))}, so clients cut off together do not come back
 * together. After {@link #maxAttempts()} failed retries in a row the reconnecting socket gives up.
 *
 * <p>Immutable. {@link #defaults()}: initial delay 1 s, multiplier 2, max delay 30 s, unlimited attempts.
 */
public final class Backoff {

    private static final Backoff DEFAULTS = exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

    private final long initialMillis;
    private final double multiplier;
    private final long maxMillis;
    private final int maxAttempts;

    private Backoff(long initialMillis, double multiplier, long maxMillis, int maxAttempts) {
        this.initialMillis = initialMillis;
        this.multiplier = multiplier;
        this.maxMillis = maxMillis;
        this.maxAttempts = maxAttempts;
    }

    /** Initial delay 1 s, multiplier 2, max delay 30 s, unlimited attempts. */
    public static Backoff defaults() {
        return DEFAULTS;
    }

    /**
     * Exponential backoff with unlimited attempts.
     *
     * @param initialDelay the ceiling of the first retry's delay; positive
     * @param multiplier how much the ceiling grows per attempt; at least 1
     * @param maxDelay the cap of the ceiling; at least {@code initialDelay}
     */
    public static Backoff exponential(Duration initialDelay, double multiplier, Duration maxDelay) {
        long initial = TransportBuilder.positive(initialDelay, "initialDelay").toMillis();
        long max = Objects.requireNonNull(maxDelay, "maxDelay").toMillis();
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
        }
        if (max < initial) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is below initialDelay " + initialDelay);
        }
        return new Backoff(Math.max(1, initial), multiplier, Math.max(1, max), 0);
    }

    /** This backoff giving up after {@code attempts} failed retries in a row; 0 for unlimited (the default). */
    public Backoff withMaxAttempts(int attempts) {
        if (attempts < 0) {
            throw new IllegalArgumentException("maxAttempts must not be negative: " + attempts);
        }
        return new Backoff(initialMillis, multiplier, maxMillis, attempts);
    }

    /** The ceiling of the first retry's delay. */
    public Duration initialDelay() {
        return Duration.ofMillis(initialMillis);
    }

    /** The ceiling's growth per attempt. */
    public double multiplier() {
        return multiplier;
    }

    /** The cap of every delay. */
    public Duration maxDelay() {
        return Duration.ofMillis(maxMillis);
    }

    /** The failed retries in a row after which reconnecting stops; 0 for unlimited. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether retry {@code attempt} (1-based) may still be made. */
    public boolean allows(int attempt) {
        return maxAttempts == 0 || attempt <= maxAttempts;
    }

    /** The largest delay of retry {@code attempt} (1-based): {@code min(max, initial × multiplier^(attempt-1))}. */
    public long ceilingMillis(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        // In doubles, so a long outage overflows to infinity and is capped, never wraps.
        double ceiling = initialMillis * Math.pow(multiplier, attempt - 1);
        return ceiling >= maxMillis ? maxMillis : (long) ceiling;
    }

    /** The delay of retry {@code attempt} (1-based): uniform in {@code [0, ceilingMillis(attempt)]}. */
    public long delayMillis(int attempt, RandomGenerator random) {
        return random.nextLong(ceilingMillis(attempt) + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Backoff b && b.initialMillis == initialMillis && b.multiplier == multiplier
                && b.maxMillis == maxMillis && b.maxAttempts == maxAttempts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialMillis, multiplier, maxMillis, maxAttempts);
    }

    @Override
    public String toString() {
        return "Backoff{initial=" + initialMillis + "ms, multiplier=" + multiplier + ", max=" + maxMillis + "ms"
                + (maxAttempts == 0 ? "" : ", maxAttempts=" + maxAttempts) + "}";
    }
}
