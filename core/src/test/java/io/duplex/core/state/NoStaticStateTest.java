package io.duplex.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.engine.Session;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core holds no static or thread-local mutable state (DESIGN.md, "Lessons from review"): what needs pooling
 * comes in through builders, so a session on a thread of its own costs what it holds, nothing more. This scans
 * every class the core compiles to and fails on a static field that is not final, or a static final field
 * whose value can change: a {@code ThreadLocal}, a collection that is not one of the JDK's immutable ones, an
 * array not named below as a constant table, or any other type not known to be immutable.
 */
class NoStaticStateTest {

    /**
     * Static final arrays that are constant lookup tables: filled once in their class's initializer and never
     * written after. Each entry says why it is there; add one only for such a table.
     */
    private static final Map<String, String> CONSTANT_TABLES = Map.ofEntries(
            Map.entry("io.duplex.core.internal.session.Utf8Validator.ROW", "UTF-8 validation DFA rows, filled at class init"),
            Map.entry("io.duplex.core.internal.extension.deflate.DeflateAlphabet.LENGTH_BASE", "RFC 1951 §3.2.5 length bases"),
            Map.entry("io.duplex.core.internal.extension.deflate.DeflateAlphabet.LENGTH_EXTRA", "RFC 1951 §3.2.5 extra bits"),
            Map.entry("io.duplex.core.internal.extension.deflate.DeflateAlphabet.DISTANCE_BASE", "RFC 1951 §3.2.5 distance bases"),
            Map.entry("io.duplex.core.internal.extension.deflate.DeflateAlphabet.DISTANCE_EXTRA", "RFC 1951 §3.2.5 extra bits"),
            Map.entry("io.duplex.core.internal.extension.deflate.DeflateAlphabet.CODE_LENGTH_ORDER", "RFC 1951 §3.2.7 order"),
            Map.entry("io.duplex.core.internal.extension.deflate.DeflateAlphabet.LENGTH_CODE", "length to code, filled at class init"),
            Map.entry("io.duplex.core.internal.extension.deflate.SearchEffort.LEVELS", "match search effort per level"),
            Map.entry("io.duplex.core.internal.extension.deflate.MessageInflater.NO_INPUT", "empty: nothing to change"),
            Map.entry("io.duplex.core.internal.extension.deflate.MessageInflater.TAIL", "RFC 7692 §7.2.2 tail, read only"),
            Map.entry("io.duplex.core.internal.extension.deflate.MessageDeflater.NO_INPUT", "empty: nothing to change"),
            Map.entry("io.duplex.core.internal.handshake.AcceptKey.GUID", "RFC 6455 §1.3 GUID, read only"),
            Map.entry("io.duplex.core.internal.handshake.AcceptKey.ALPHABET", "RFC 4648 §4 base64 alphabet, read only"),
            Map.entry("io.duplex.core.internal.handshake.HeaderBlockReader.NONE", "empty: nothing to change"),
            Map.entry("io.duplex.core.engine.ServerHandshake.NO_BODY", "empty: nothing to change"));

    /**
     * Static final fields of a mutable type that can hold no state: each says why. A zero-capacity buffer
     * can hold no bytes, and its position, limit and mark can only ever be 0.
     */
    private static final Map<String, String> STATELESS = Map.of(
            "io.duplex.core.internal.session.MessageAssembler.EMPTY", "zero capacity: position, limit and mark stay 0");

    /** JDK types whose instances never change. */
    private static final List<Class<?>> IMMUTABLE_TYPES = List.of(String.class, Class.class, VarHandle.class,
            MethodHandle.class, ByteOrder.class, Integer.class, Long.class, Boolean.class);

    @Test
    void theCoreHasNoStaticMutableState() throws Exception {
        List<Class<?>> classes = coreClasses();
        assertTrue(classes.size() > 50, "found the core's classes: " + classes.size());
        List<String> problems = new ArrayList<>();
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()) {
                    String problem = problem(f);
                    if (problem != null) {
                        problems.add(c.getName() + "." + f.getName() + ": " + problem);
                    }
                }
            }
        }
        assertEquals(List.of(), problems, "static state in the core");
    }

    /** The allow-lists name only fields that exist, so a stale entry cannot hide a new field later. */
    @Test
    void everyAllowedFieldExists() throws Exception {
        for (String name : Stream.concat(CONSTANT_TABLES.keySet().stream(), STATELESS.keySet().stream()).toList()) {
            int dot = name.lastIndexOf('.');
            Class<?> c = Class.forName(name.substring(0, dot), false, Session.class.getClassLoader());
            Field f = c.getDeclaredField(name.substring(dot + 1));
            assertTrue(Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()), name);
        }
    }

    /** The scan itself catches what it is for: these fields of this test would each be refused. */
    @Test
    void theScanRefusesEachKindOfStaticState() throws Exception {
        for (String name : List.of("COUNTER", "LOCAL", "LIST", "TABLE", "BUFFER")) {
            Field f = Fixture.class.getDeclaredField(name);
            assertTrue(problem(f) != null, name + " passed the scan");
        }
        assertEquals(null, problem(Fixture.class.getDeclaredField("NAMES")), "an immutable list is fine");
        assertEquals(null, problem(Fixture.class.getDeclaredField("LIMIT")), "a constant is fine");
    }

    @SuppressWarnings("unused")
    private static final class Fixture {
        static int COUNTER;
        static final ThreadLocal<byte[]> LOCAL = new ThreadLocal<>();
        static final List<String> LIST = new ArrayList<>();
        static final int[] TABLE = {1, 2};
        static final java.nio.ByteBuffer BUFFER = java.nio.ByteBuffer.allocate(8);
        static final List<String> NAMES = List.of("a", "b");
        static final int LIMIT = 3;
    }

    /** Why {@code f} (static) is state, or null when it is not. */
    private static String problem(Field f) throws IllegalAccessException {
        String name = f.getDeclaringClass().getName() + "." + f.getName();
        if (!Modifier.isFinal(f.getModifiers())) {
            return "static and not final";
        }
        Class<?> type = f.getType();
        if (type.isPrimitive() || IMMUTABLE_TYPES.contains(type) || type.isEnum() && isImmutable(type)) {
            return null;
        }
        if (type.isArray()) {
            return CONSTANT_TABLES.containsKey(name) ? null : "an array that is not an allowed constant table";
        }
        if (STATELESS.containsKey(name)) {
            return null;
        }
        f.setAccessible(true);
        Object value = f.get(null);
        if (value == null) {
            return null;
        }
        Class<?> runtime = value.getClass();
        if (runtime.getName().startsWith("java.util.ImmutableCollections$")) {
            return null;
        }
        if (runtime.getName().startsWith("io.duplex.core") && isImmutable(runtime)) {
            return null;
        }
        return "of type " + runtime.getName() + ", which may change";
    }

    /**
     * Whether a core type's instances are immutable as far as fields go: every instance field, its
     * superclasses' included, is final. What those fields reference is the type's own to keep unchanged.
     */
    private static boolean isImmutable(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class && c != Enum.class && c != Record.class;
                c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every class in the directory (or jar) the core's classes were loaded from. */
    private static List<Class<?>> coreClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Session.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(root), "the core's classes are a directory: " + root);
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String rel = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), ".");
                String className = rel.substring(0, rel.length() - ".class".length());
                if (className.equals("module-info")) {
                    continue;
                }
                out.add(Class.forName(className, false, Session.class.getClassLoader()));
            }
        }
        return out;
    }
}
