package io.duplex.core.extension.deflate;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Prints compression speed and ratio for 1 MiB of text (not a test: timings never assert): the file given as
 * the first argument (its first MiB), else (or given "-") the generated English-like text of {@link Corpus}. Speed is the
 * best of several runs in thread CPU time, so other processes competing for the cores distort it less.
 * Run: {@code java -cp core/target/classes:core/target/test-classes
 * io.duplex.core.extension.deflate.WindowedDeflaterThroughput [file|- [windowBits [level]]]}
 */
public final class WindowedDeflaterThroughput {

    private WindowedDeflaterThroughput() {
    }

    public static void main(String[] args) throws java.io.IOException {
        byte[] text = args.length > 0 && !args[0].equals("-")
                ? java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[0])), 1 << 20)
                : Corpus.text(1 << 20, 42);
        GrowableSink sink = new GrowableSink(false, 1 << 20);
        int[] windows = args.length > 1 ? new int[] {Integer.parseInt(args[1])} : new int[] {15, 10, 8};
        int[] levels = args.length > 2 ? new int[] {Integer.parseInt(args[2])} : new int[] {1, 6, 9};
        for (int bits : windows) {
            for (int level : levels) {
                WindowedDeflater deflater = new WindowedDeflater(bits, level);
                int rounds = 0;
                long outBytes = 0;
                long best = Long.MAX_VALUE;
                long until = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < until || rounds < 5) {
                    long t0 = ThreadCounters.cpuNanos();
                    deflater.reset();
                    deflater.compress(ByteBuffer.wrap(text), sink);
                    best = Math.min(best, ThreadCounters.cpuNanos() - t0);
                    outBytes = sink.take().length;
                    rounds++;
                }
                System.out.printf("windowBits %2d level %d: %6.1f MB/s, ratio %.3f%n",
                        bits, level, text.length / (best / 1e9) / 1e6, outBytes / (double) text.length);
            }
        }
        byte[] out = new byte[2 << 20];
        for (int level : new int[] {1, 6}) {
            Deflater jdk = new Deflater(level, true);
            long best = Long.MAX_VALUE;
            int n = 0;
            for (int r = 0; r < 30; r++) {
                long t0 = ThreadCounters.cpuNanos();
                jdk.reset();
                jdk.setInput(text);
                n = jdk.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
                best = Math.min(best, ThreadCounters.cpuNanos() - t0);
            }
            System.out.printf("JDK Deflater (zlib, 15 bits) level %d: %6.1f MB/s, ratio %.3f%n",
                    level, text.length / (best / 1e9) / 1e6, n / (double) text.length);
        }
    }
}
