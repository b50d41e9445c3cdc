package io.duplex.bench.jmh;

import io.duplex.core.internal.extension.deflate.WindowedDeflater;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The core's {@link WindowedDeflater} across the window sizes and levels permessage-deflate negotiates, on
 * 1 MiB of JSON-like text: speed from JMH, and the compression ratio each setting reaches, printed once per
 * trial (JMH keeps it in the run's output). {@link DeflateBenchmark} sets the default setting beside
 * {@code java.util.zip.Deflater}.
 */
public class DeflateLevelsBenchmark extends ThroughputBenchmark {

    private static final int SIZE = 1 << 20;

    @Param({"15", "10", "8"})
    public int windowBits;

    @Param({"1", "6", "9"})
    public int level;

    private ByteBuffer message;
    private ByteBuffer out;
    private WindowedDeflater deflater;

    @Setup
    public void setUp() {
        message = ByteBuffer.wrap(DeflateBenchmark.jsonLike(SIZE));
        out = ByteBuffer.allocate(SIZE * 2);
        deflater = new WindowedDeflater(windowBits, level);
        System.out.printf("windowBits %d level %d: compressed to %.3f of the input%n",
                windowBits, level, compress() / (double) SIZE);
    }

    @Benchmark
    public int compress() {
        message.clear();
        out.clear();
        deflater.reset();
        deflater.compress(message, min -> {
            if (out.remaining() < min) {
                throw new IllegalStateException("output buffer too small");
            }
            return out;
        });
        return out.position();
    }
}
