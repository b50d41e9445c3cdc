package io.duplex.core.state;

import java.lang.reflect.Method;
import java.util.List;

/**
 * Bytes of direct buffers in use, from the platform's "direct" {@code BufferPoolMXBean}, reached reflectively:
 * the tests run patched into the {@code io.duplex.core} module, which does not read java.management.
 */
final class DirectMemory {

    private DirectMemory() {
    }

    static long used() {
        try {
            Class<?> beanType = Class.forName("java.lang.management.BufferPoolMXBean");
            List<?> beans = (List<?>) Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getPlatformMXBeans", Class.class).invoke(null, beanType);
            Method name = beanType.getMethod("getName");
            Method used = beanType.getMethod("getMemoryUsed");
            for (Object bean : beans) {
                if ("direct".equals(name.invoke(bean))) {
                    return (long) used.invoke(bean);
                }
            }
            throw new AssertionError("no direct buffer pool bean");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("direct memory counter failed", e);
        }
    }
}
