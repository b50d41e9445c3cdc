package io.duplex.core.extension.deflate;

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
        long before = ThreadCounters.allocatedBytes();
        for (int i = 0; i < 200; i++) {
            src.clear();
            out.clear();
            deflater.compress(src, sink);
        }
        long allocated = ThreadCounters.allocatedBytes() - before;
        // A fixed ~1 KiB goes to the measurement itself; one small object per message would add 200 of them.
        assertTrue(allocated < 3000, "allocated " + allocated + " bytes for 200 messages");
    }
}
