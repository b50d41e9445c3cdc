package io.duplex.core.internal.extension.deflate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.ThreadCounters;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Once warmed up, compressing a message allocates nothing: the window, chains and codes are reused. */
class SteadyStateAllocationTest {

    @Test
    void compressingAllocatesNothingInSteadyState() {
        ThreadCounters.allocatedBytes();
        byte[] text = Corpus.text(20_000, 3);
        ByteBuffer src = ByteBuffer.wrap(text);
        ByteBuffer out = ByteBuffer.allocate(40_000);
        Sink sink = n -> out;
        WindowedDeflater deflater = new WindowedDeflater(12, 6);
        for (int i = 0; i < 20; i++) { // warm up, so the JIT's own work is out of the way
            src.clear();
            out.clear();
            deflater.compress(src, sink);
        }
        // The least of several rounds: the JIT may still allocate now and then while it compiles (more so on
        // a loaded machine), which no round of a truly allocation-free loop escapes every time.
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            long before = ThreadCounters.allocatedBytes();
            for (int i = 0; i < 200; i++) {
                src.clear();
                out.clear();
                deflater.compress(src, sink);
            }
            least = Math.min(least, ThreadCounters.allocatedBytes() - before);
        }
        // One small object per message would add 200 of them, at least 3,200 bytes.
        assertTrue(least < 3000, "allocated " + least + " bytes for 200 messages in the least of 10 rounds");
    }
}
