package io.duplex.bench.jmh;

import io.duplex.core.internal.extension.deflate.WindowedDeflater;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * permessage-deflate both ways (RFC 7692 §7.2) on a 16 KiB JSON-like message, no context takeover: the
 * core's {@link WindowedDeflater} (15-bit window, level 6) beside {@link Deflater} (level 6, raw, sync
 * flush), and inflating each one's output with {@link Inflater} (the core has no inflater of its own).
 */
public class DeflateBenchmark extends ThroughputBenchmark {

    private static final byte[] SYNC_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    @Param({"16384"})
    public int size;

    private ByteBuffer message;
    private ByteBuffer out;
    private byte[] outArray;
    private byte[] inflated;
    private byte[] duplexCompressed;
    private byte[] jdkCompressed;
    private WindowedDeflater windowed;
    private Deflater deflater;
    private Inflater inflater;

    @Setup
    public void setUp() throws DataFormatException {
        byte[] bytes = jsonLike(size);
        message = ByteBuffer.wrap(bytes);
        outArray = new byte[size * 2 + 64];
        out = ByteBuffer.wrap(outArray);
        inflated = new byte[size];
        windowed = new WindowedDeflater(15, 6);
        deflater = new Deflater(6, true);
        inflater = new Inflater(true);
        duplexCompressed = java.util.Arrays.copyOf(outArray, duplexDeflate());
        jdkCompressed = java.util.Arrays.copyOf(outArray, jdkDeflate());
        if (inflate(duplexCompressed) != size || inflate(jdkCompressed) != size) {
            throw new IllegalStateException("round trip failed");
        }
    }

    /** {@code size} bytes of JSON-like records: repetitive keys, varying numbers. */
    static byte[] jsonLike(int size) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < size; i++) {
            sb.append("{\"id\":").append(i).append(",\"user\":\"user").append(i % 97)
                    .append("\",\"price\":").append((i * 7919) % 10007).append(".").append(i % 100)
                    .append(",\"tags\":[\"alpha\",\"beta\"],\"active\":").append(i % 3 == 0).append("},\n");
        }
        return java.util.Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        deflater.end();
        inflater.end();
    }

    @Benchmark
    public int duplexDeflate() {
        message.clear();
        out.clear();
        windowed.reset();
        windowed.compress(message, min -> {
            if (out.remaining() < min) {
                throw new IllegalStateException("output buffer too small");
            }
            return out;
        });
        return out.position();
    }

    @Benchmark
    public int jdkDeflate() {
        deflater.reset();
        deflater.setInput(message.array(), 0, size);
        return deflater.deflate(outArray, 0, outArray.length, Deflater.SYNC_FLUSH);
    }

    @Benchmark
    public int inflateDuplexOutput() throws DataFormatException {
        return inflate(duplexCompressed);
    }

    @Benchmark
    public int inflateJdkOutput() throws DataFormatException {
        return inflate(jdkCompressed);
    }

    private int inflate(byte[] compressed) throws DataFormatException {
        inflater.reset();
        inflater.setInput(compressed);
        int n = inflater.inflate(inflated);
        // Both end with the sync-flush tail, so the inflater has consumed everything and stopped cleanly.
        if (!java.util.Arrays.equals(compressed, compressed.length - 4, compressed.length, SYNC_TAIL, 0, 4)) {
            throw new IllegalStateException("no sync-flush tail");
        }
        return n;
    }
}
