package io.duplex.bench.jmh;

import io.duplex.core.internal.frame.Masking;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Masking alone (RFC 6455 §5.3) on heap and direct buffers, beside the memory-bandwidth yardsticks of the
 * same size: {@code System.arraycopy} and {@code ByteBuffer.put}. "mask" works in place, as the decoder
 * unmasks; "maskCopy" masks while copying into another buffer, as a client's frame writer does (its output
 * chunk is a heap buffer, so the direct variant reads a direct payload into a heap chunk). Ops/s times
 * {@code size} = bytes/s.
 */
public class MaskingBenchmark extends ThroughputBenchmark {

    @Param({"64", "65536", "1048576"})
    public int size;

    private byte[] src;
    private byte[] dst;
    private ByteBuffer heap;
    private ByteBuffer direct;
    private ByteBuffer directDst;
    private ByteBuffer heapDst;

    @Setup
    public void setUp() {
        src = new byte[size];
        dst = new byte[size];
        for (int i = 0; i < size; i++) {
            src[i] = (byte) (i * 31);
        }
        heap = ByteBuffer.wrap(src.clone());
        direct = ByteBuffer.allocateDirect(size).put(src);
        direct.clear();
        directDst = ByteBuffer.allocateDirect(size);
        heapDst = ByteBuffer.allocate(size);
    }

    @Benchmark
    public ByteBuffer maskHeap() {
        Masking.mask(heap, 0x37fa213d, 0);
        return heap;
    }

    @Benchmark
    public ByteBuffer maskDirect() {
        Masking.mask(direct, 0x37fa213d, 0);
        return direct;
    }

    @Benchmark
    public ByteBuffer maskCopyHeap() {
        return maskCopy(heap, heapDst);
    }

    @Benchmark
    public ByteBuffer maskCopyDirectToHeap() {
        return maskCopy(direct, heapDst);
    }

    @Benchmark
    public ByteBuffer maskCopyDirect() {
        return maskCopy(direct, directDst);
    }

    private static ByteBuffer maskCopy(ByteBuffer src, ByteBuffer dst) {
        src.clear();
        dst.clear();
        Masking.mask(src, dst, 0x37fa213d, 0);
        return dst;
    }

    @Benchmark
    public byte[] copyArray() {
        System.arraycopy(src, 0, dst, 0, size);
        return dst;
    }

    @Benchmark
    public ByteBuffer copyDirectPut() {
        directDst.clear();
        directDst.put(direct.duplicate());
        return directDst;
    }
}
