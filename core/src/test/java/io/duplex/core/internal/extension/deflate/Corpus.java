package io.duplex.core.internal.extension.deflate;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic test inputs: random (incompressible), repetitive, and English-like text. */
final class Corpus {

    private static final String[] WORDS = (
            "the of and to in a is that for it as was with be by on not he I this are or his from at which "
            + "but have an they you were her she there been one all we their has would when if so no will "
            + "message frame server client window socket protocol compress data header extension connection "
            + "time people could other than then now only its over also after into year two more these some "
            + "because between under while where every through before should great world house small large "
            + "question answer letter number water country family system program problem always never")
            .split(" ");

    private Corpus() {
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] repetitive(int size) {
        byte[] unit = "abcabcabd-0123456789-".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = unit[i % unit.length];
        }
        return bytes;
    }

    static byte[] text(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(size + 32);
        boolean capital = true;
        while (sb.length() < size) {
            String word = WORDS[(int) Math.abs(random.nextGaussian() * WORDS.length / 3) % WORDS.length];
            sb.append(capital ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
            capital = false;
            int r = random.nextInt(100);
            if (r < 8) {
                sb.append(". ");
                capital = true;
            } else if (r < 12) {
                sb.append(", ");
            } else if (r < 13) {
                sb.append(".\n");
                capital = true;
            } else {
                sb.append(' ');
            }
        }
        sb.setLength(size);
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
