package io.duplex.examples.ticker;

import java.util.SplittableRandom;

/** Made-up prices: a random walk per symbol, one symbol per tick in turn. Used by one thread. */
final class Prices {

    /** One price change. */
    record Tick(String symbol, double price, long timeMillis) {
    }

    private static final String[] SYMBOLS = {"ACME", "GLOBX", "INITECH", "UMBRL", "WONKA", "STARK"};

    private final double[] prices = {101.25, 47.80, 12.05, 230.10, 8.99, 512.40};
    private final SplittableRandom random = new SplittableRandom(6455);
    private int next;

    Tick next() {
        int i = next;
        next = (next + 1) % SYMBOLS.length;
        // At most 0.5 % up or down, in cents, never below one cent.
        double moved = prices[i] * (1 + (random.nextDouble() - 0.5) / 100);
        prices[i] = Math.max(0.01, Math.round(moved * 100) / 100.0);
        return new Tick(SYMBOLS[i], prices[i], System.currentTimeMillis());
    }
}
