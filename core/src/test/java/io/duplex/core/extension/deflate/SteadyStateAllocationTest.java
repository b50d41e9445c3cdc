package io.duplex.core.extension.deflate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Once warmed up, compressing a message allocates nothing: the window, chains and codes are reused. */
class SteadyStateAllocationTest {

    /**
     * Bytes allocated so far by the current thread, via com.sun.management.ThreadMXBean. Reflection, because
     * the core module (which these tests are patched into) does not read java.management.
     */
    private static long allocatedByThisThread() throws ReflectiveOperationException {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getThreadAllocatedBytes", long.class);
        return (long) allocated.invoke(bean, Thread.currentThread().getId());
    }

    @Test
    void compressingAllocatesNothingInSteadyState() throws ReflectiveOperationException {
        try {
            allocatedByThisThread();
        } catch (ReflectiveOperationException | LinkageError e) {
            Assumptions.abort("no per-thread allocation counter: " + e);
        }
        byte[] text = Corpus.text(100_000, 3);
        ByteBuffer src = ByteBuffer.wrap(text);
        ByteBuffer out = ByteBuffer.allocate(200_000);
        Sink sink = n -> out;
        WindowedDeflater deflater = new WindowedDeflater(12, 6);
        for (int i = 0; i < 20; i++) { // warm up, so the JIT's own work is out of the way
            src.clear();
            out.clear();
            deflater.compress(src, sink);
        }
        long before = allocatedByThisThread();
        for (int i = 0; i < 200; i++) {
            src.clear();
            out.clear();
            deflater.compress(src, sink);
        }
        long allocated = allocatedByThisThread() - before;
        // A fixed ~1 KiB goes to the measurement itself; one small object per message would add 200 of them.
        assertTrue(allocated < 3000, "allocated " + allocated + " bytes for 200 messages");
    }
}
