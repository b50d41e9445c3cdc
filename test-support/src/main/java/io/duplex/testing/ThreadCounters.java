package io.duplex.testing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The current thread's allocated bytes and CPU time, from the platform's {@code ThreadMXBean}. Reached
 * reflectively because the tests run patched into the {@code io.duplex.core} and {@code io.duplex.nio}
 * modules, which read neither {@code java.management} nor {@code jdk.management}; reflection needs no read
 * edge. The core's and the transport's tests share it through this test-scoped module.
 */
public final class ThreadCounters {

    private static final MethodHandle ALLOCATED_BYTES;
    private static final MethodHandle CPU_NANOS;

    static {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            ALLOCATED_BYTES = lookup.findVirtual(Class.forName("com.sun.management.ThreadMXBean"),
                    "getThreadAllocatedBytes", MethodType.methodType(long.class, long.class)).bindTo(bean);
            CPU_NANOS = lookup.findVirtual(Class.forName("java.lang.management.ThreadMXBean"),
                    "getCurrentThreadCpuTime", MethodType.methodType(long.class)).bindTo(bean);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ThreadCounters() {
    }

    /** The bytes the current thread has allocated so far. */
    public static long allocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invokeExact(Thread.currentThread().getId());
        } catch (Throwable e) {
            throw new AssertionError("thread allocation counter failed", e);
        }
    }

    /** The CPU time the current thread has used so far, in nanoseconds. */
    public static long cpuNanos() {
        try {
            return (long) CPU_NANOS.invokeExact();
        } catch (Throwable e) {
            throw new AssertionError("thread CPU time counter failed", e);
        }
    }
}
