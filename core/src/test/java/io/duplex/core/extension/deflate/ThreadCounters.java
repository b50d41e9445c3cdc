package io.duplex.core.extension.deflate;

import java.lang.reflect.Method;

/**
 * The current thread's CPU time and allocated bytes from the platform's ThreadMXBean. Reached by reflection
 * because the core module, which these tests are patched into, does not read java.management.
 */
final class ThreadCounters {

    private static final Object BEAN;
    private static final Method CPU_TIME;
    private static final Method ALLOCATED;

    static {
        Object bean = null;
        Method cpu = null;
        Method allocated = null;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            cpu = Class.forName("java.lang.management.ThreadMXBean").getMethod("getCurrentThreadCpuTime");
            allocated = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            // left null: available() says so
        }
        BEAN = bean;
        CPU_TIME = cpu;
        ALLOCATED = allocated;
    }

    private ThreadCounters() {
    }

    static boolean available() {
        return ALLOCATED != null;
    }

    static long cpuNanos() {
        return call(CPU_TIME);
    }

    static long allocatedBytes() {
        return call(ALLOCATED, Thread.currentThread().getId());
    }

    private static long call(Method method, Object... args) {
        try {
            return (long) method.invoke(BEAN, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
