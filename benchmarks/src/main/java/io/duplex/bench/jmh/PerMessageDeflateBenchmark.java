package io.duplex.bench.jmh;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.ExtensionOutput;
import io.duplex.core.WebSocketException;
import io.duplex.core.deflate.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@link PerMessageDeflate} extension as a server negotiated it (RFC 7692), both ways, on the same JSON-like
 * messages as {@link DeflateBenchmark}, without context takeover so every message costs the same:
 * {@code encode} compresses what the server sends (15-bit window: the JDK's Deflater; 10 bits: Duplex's own
 * encoder), {@code decode} inflates what a client sent (compressed by the JDK, sync-flush tail stripped).
 * The 1 KiB size is a chat or room message: {@code encode} at that size is what compressing a room publish once
 * would cost (docs/benchmarks.md, "Room messages to permessage-deflate members").
 */
public class PerMessageDeflateBenchmark extends ThroughputBenchmark {

    private static final byte[] SYNC_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    @Param({"15", "10"})
    public int serverWindowBits;

    @Param({"16384", "1024"})
    public int size;

    private ByteBuffer message;
    private ByteBuffer compressed;
    private ByteBuffer out;
    private ExtensionOutput output;
    private Extension extension;

    @Setup
    public void setUp() throws WebSocketException {
        byte[] bytes = DeflateBenchmark.jsonLike(size);
        message = ByteBuffer.wrap(bytes);
        out = ByteBuffer.allocate(size * 2 + 64);
        output = wanted -> {
            if (!out.hasRemaining()) {
                throw new IllegalStateException("output buffer too small");
            }
            return out;
        };
        Map<String, String> params = new LinkedHashMap<>();
        params.put("server_no_context_takeover", null);
        params.put("client_no_context_takeover", null);
        if (serverWindowBits < 15) {
            params.put("server_max_window_bits", Integer.toString(serverWindowBits));
        }
        PerMessageDeflate factory = PerMessageDeflate.builder().level(6).threshold(0).build();
        extension = factory.accept(List.of(ExtensionOffer.of("permessage-deflate", params)));
        if (extension == null || extension.encodes(2, size) == 0 || !extension.decodes(extension.rsvBits())) {
            throw new IllegalStateException("permessage-deflate was not negotiated: " + params);
        }
        compressed = ByteBuffer.wrap(clientCompressed(bytes));
        // Both directions must round-trip before they are timed.
        if (decode().position() != size) {
            throw new IllegalStateException("decode did not restore the message");
        }
        encode();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        extension.release();
    }

    /** What a client sends: raw DEFLATE ending in a sync flush, whose 00 00 FF FF tail is removed (§7.2.1). */
    private static byte[] clientCompressed(byte[] bytes) {
        Deflater d = new Deflater(6, true);
        d.setInput(bytes);
        byte[] buf = new byte[bytes.length * 2 + 64];
        int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        d.end();
        if (!java.util.Arrays.equals(buf, n - 4, n, SYNC_TAIL, 0, 4)) {
            throw new IllegalStateException("no sync-flush tail");
        }
        return java.util.Arrays.copyOf(buf, n - 4);
    }

    @Benchmark
    public ByteBuffer encode() {
        out.clear();
        message.clear();
        extension.encodes(2, size);
        extension.encode(message, true, output);
        return out;
    }

    @Benchmark
    public ByteBuffer decode() throws WebSocketException {
        out.clear();
        compressed.clear();
        extension.decode(compressed, false, output);
        extension.decode(EMPTY, true, output);
        return out;
    }
}
