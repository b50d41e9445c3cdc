package io.duplex.core.engine;

import io.duplex.testing.ThreadCounters;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.ModuleReader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs one fuzz input the same way in regression and fuzzing mode: on a fresh thread, so nothing an earlier
 * input left in a per-thread cache (a pooled buffer, a codec) lends this one memory it did not have to
 * allocate; bounded in time, so a hang is a finding rather than a stuck build; and measured, so a target can
 * assert that memory follows the bytes received and the configured limits, never a length a peer declared.
 */
final class FuzzRun {

    /** Far beyond what any bounded input needs even on a loaded 2-core machine: only a hang reaches it. */
    private static final long HANG_SECONDS = 20;
    private static final MethodHandle DIRECT_CAPACITY = directCapacity();
    /** The targets (one body class each) whose first input already ran once unmeasured. */
    private static final Set<Class<?>> WARMED_UP = ConcurrentHashMap.newKeySet();

    /** One input's work; any exception it throws (checked or not) is a finding. */
    interface Body {
        void run() throws Exception;
    }

    static {
        loadCoreClasses();
    }

    private FuzzRun() {
    }

    /**
     * Loads every class of the core up front. In fuzzing mode Jazzer instruments each class as it loads, on the
     * loading thread, and that work allocates megabytes that would otherwise be charged to whichever input
     * first reaches the class.
     */
    private static void loadCoreClasses() {
        Module core = Session.class.getModule();
        if (!core.isNamed() || core.getLayer() == null) {
            return; // on the class path: the first input of each target (run twice) pays for class loading
        }
        try (ModuleReader reader = core.getLayer().configuration().findModule(core.getName()).orElseThrow()
                .reference().open()) {
            for (String name : (Iterable<String>) reader.list()::iterator) {
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false,
                            Session.class.getClassLoader());
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Runs {@code body} on a fresh thread and returns the bytes it allocated: heap allocated by that thread plus
     * the growth of the JVM's direct buffer capacity meanwhile. Rethrows whatever {@code body} threw. A target's
     * first input runs twice, measured the second time.
     */
    static long allocation(Body body) {
        if (WARMED_UP.add(body.getClass())) {
            // The first input of a target also pays for loading the classes it touches: not the session's memory.
            measure(body);
        }
        return measure(body);
    }

    private static long measure(Body body) {
        long[] allocated = new long[1];
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(() -> {
            long direct = directCapacity(DIRECT_CAPACITY);
            long heap = ThreadCounters.allocatedBytes();
            try {
                body.run();
            } catch (Throwable e) {
                thrown[0] = e;
            }
            allocated[0] = ThreadCounters.allocatedBytes() - heap + Math.max(0, directCapacity(DIRECT_CAPACITY) - direct);
        }, "fuzz-input");
        t.start();
        try {
            t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (t.isAlive()) {
            AssertionError hang = new AssertionError("the input did not finish within " + HANG_SECONDS + " s: a hang");
            hang.setStackTrace(t.getStackTrace());
            throw hang;
        }
        if (thrown[0] instanceof RuntimeException r) {
            throw r;
        }
        if (thrown[0] instanceof Error e) {
            throw e;
        }
        if (thrown[0] != null) {
            throw new AssertionError("unexpected checked exception", thrown[0]);
        }
        return allocated[0];
    }

    /**
     * Feeds {@code data} to {@code receive} {@code chunk} bytes at a time (all at once for 0) until it answers
     * that it decided; an undecided receiver must consume each piece whole. The pieces are windows of one
     * buffer over {@code data}, as a transport reuses its read buffer: position and limit move, and nothing is
     * allocated per piece that the target would be charged for.
     *
     * @return how many bytes were left after the receiver decided: the unread rest of the piece and the pieces
     *     never fed (0 if it never decided)
     */
    static int feed(byte[] data, int chunk, Predicate<ByteBuffer> receive) {
        int step = chunk == 0 ? Math.max(1, data.length) : chunk;
        ByteBuffer in = ByteBuffer.wrap(data);
        for (int i = 0; i < data.length; i += step) {
            int end = Math.min(data.length, i + step);
            in.limit(end).position(i);
            if (receive.test(in)) {
                return data.length - in.position();
            }
            if (in.hasRemaining()) {
                throw new AssertionError("undecided, yet " + in.remaining() + " of " + (end - i) + " bytes were left unread");
            }
        }
        return 0;
    }

    /** Fails unless {@code allocated} is at most {@code bound}, saying what the bound was made of. */
    static void assertAllocationAtMost(long allocated, long bound, String what) {
        if (allocated > bound) {
            throw new AssertionError(what + ": allocated " + allocated + " bytes, over the bound of " + bound);
        }
    }

    private static long directCapacity(MethodHandle capacity) {
        try {
            return (long) capacity.invokeExact();
        } catch (Throwable e) {
            throw new AssertionError("direct buffer pool bean failed", e);
        }
    }

    /**
     * The {@code direct} BufferPoolMXBean's total capacity, reached reflectively for the reason
     * {@link ThreadCounters} gives: the tests run patched into a module that does not read java.management.
     */
    private static MethodHandle directCapacity() {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Class<?> pool = Class.forName("java.lang.management.BufferPoolMXBean");
            List<?> pools = (List<?>) factory.getMethod("getPlatformMXBeans", Class.class).invoke(null, pool);
            for (Object p : pools) {
                if ("direct".equals(pool.getMethod("getName").invoke(p))) {
                    return MethodHandles.publicLookup()
                            .findVirtual(pool, "getTotalCapacity", MethodType.methodType(long.class))
                            .bindTo(p).asType(MethodType.methodType(long.class));
                }
            }
            throw new ExceptionInInitializerError("no direct buffer pool bean");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
