package io.duplex.core.internal.extension.deflate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random inputs cut into random messages, any window bits (RFC 7692 §7.1.2) and level, with and without
 * context takeover (§7.1.1): every message round-trips through one Inflater and the checker, no distance
 * exceeds 2^windowBits, and without takeover no message refers to an earlier one.
 */
class WindowedDeflaterProperties {

    @Provide
    Arbitrary<byte[]> inputs() {
        // Mixes of random runs, repeats at assorted distances and text, so matches of every length appear.
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            int size = random.nextInt(4) == 0 ? random.nextInt(200_000) : random.nextInt(5000);
            byte[] out = new byte[size];
            int i = 0;
            while (i < size) {
                int run = 1 + random.nextInt(Math.min(2000, size - i));
                switch (random.nextInt(4)) {
                    case 0 -> {
                        byte[] noise = Corpus.random(run, random.nextLong());
                        System.arraycopy(noise, 0, out, i, run);
                    }
                    case 1 -> {
                        int distance = 1 + random.nextInt(Math.max(1, Math.min(i, 40_000)));
                        for (int k = 0; k < run; k++) {
                            out[i + k] = i >= distance ? out[i + k - distance] : (byte) k;
                        }
                    }
                    case 2 -> System.arraycopy(Corpus.text(run, random.nextLong()), 0, out, i, run);
                    default -> java.util.Arrays.fill(out, i, i + run, (byte) random.nextInt(256));
                }
                i += run;
            }
            return out;
        });
    }

    @Property(tries = 100)
    void messagesRoundTripWithinTheWindow(@ForAll("inputs") byte[] input,
                                          @ForAll @IntRange(min = 8, max = 15) int windowBits,
                                          @ForAll @IntRange(min = 1, max = 9) int level,
                                          @ForAll boolean contextTakeover,
                                          @ForAll long cuts) {
        PerMessage pm = new PerMessage(windowBits, level, contextTakeover);
        Random random = new Random(cuts);
        List<byte[]> messages = new ArrayList<>();
        int at = 0;
        while (at < input.length) {
            int n = Math.min(input.length - at, random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(input.length));
            messages.add(java.util.Arrays.copyOfRange(input, at, at + n));
            at += n;
        }
        messages.add(new byte[0]);
        for (byte[] message : messages) {
            pm.roundTrip(message); // Inflater and checker agree with the input, distance ≤ window, no reach
        }
    }
}
