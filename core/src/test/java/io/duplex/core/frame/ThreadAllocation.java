package io.duplex.core.frame;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The bytes the current thread has allocated so far:
 * {@code ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(id)},
 * reached reflectively because the tests run patched into the {@code io.duplex.core} module, which reads
 * neither java.management nor jdk.management at compile time; reflection needs no read edge.
 */
public final class ThreadAllocation {

    private static final MethodHandle ALLOCATED_BYTES = lookUp();

    private ThreadAllocation() {
    }

    public static long bytes() {
        try {
            return (long) ALLOCATED_BYTES.invokeExact(Thread.currentThread().getId());
        } catch (Throwable e) {
            throw new AssertionError("thread allocation counter failed", e);
        }
    }

    private static MethodHandle lookUp() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            return MethodHandles.publicLookup()
                    .findVirtual(type, "getThreadAllocatedBytes", MethodType.methodType(long.class, long.class))
                    .bindTo(bean);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
