package io.duplex.bench.jmh;

import io.duplex.core.WebSocketException;
import io.duplex.core.internal.frame.FrameDecoder;
import io.duplex.core.internal.frame.FrameEncoder;
import io.duplex.core.internal.frame.FrameListener;
import io.duplex.core.internal.frame.Masking;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One binary frame decoded (header parsed, payload unmasked in place and handed to a listener) and encoded
 * (header written, payload copied, masked when the encoder is a client). Masked = a server reading a
 * client's frame / a client writing one. Ops/s times {@code size} is the payload bandwidth.
 */
public class FrameCodecBenchmark extends ThroughputBenchmark {

    private static final int KEY = 0x37fa213d;

    @Param({"64", "65536", "1048576"})
    public int size;

    @Param({"true", "false"})
    public boolean masked;

    private ByteBuffer wire;
    private int frameLength;
    private ByteBuffer payload;
    private ByteBuffer out;
    private FrameDecoder decoder;
    private Blackhole sink;

    @Setup
    public void setUp(Blackhole blackhole) {
        sink = blackhole;
        payload = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            payload.put(i, (byte) (i * 31));
        }
        wire = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH + size);
        FrameEncoder.encodeHeader(wire, true, 0, 2, size, masked, KEY);
        wire.put(payload.duplicate());
        wire.flip();
        frameLength = wire.limit();
        out = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH + size);
        decoder = new FrameDecoder(masked, 16 << 20, new FrameListener() {
            @Override
            public void onFrameHeader(boolean fin, int rsv, int opcode, long payloadLength) {
                sink.consume(opcode);
            }

            @Override
            public void onPayload(ByteBuffer chunk) {
                sink.consume(chunk.get(chunk.limit() - 1));
            }

            @Override
            public void onFrameEnd() {
                sink.consume(true);
            }
        });
    }

    /** Unmasking in place flips the payload each time; the work per byte is the same either way. */
    @Benchmark
    public void decode() throws WebSocketException {
        wire.limit(frameLength).position(0);
        decoder.decode(wire);
    }

    @Benchmark
    public ByteBuffer encode() {
        out.clear();
        FrameEncoder.encodeHeader(out, true, 0, 2, size, masked, KEY);
        if (masked) {
            payload.position(0); // the masking copy advances the source
            Masking.mask(payload, out, KEY, 0);
        } else {
            out.put(payload.duplicate());
        }
        return out;
    }
}
