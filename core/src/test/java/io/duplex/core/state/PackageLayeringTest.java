package io.duplex.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's layering, read from its compiled classes with the JDK's {@code jdeps}: its packages form no cycle.
 * The API package ({@code io.duplex.core}: the vocabulary users import and the SPI) depends only on the pure
 * internal packages ({@code internal.http}, {@code internal.buffer}), which import nothing of the core; the
 * implementation ({@code internal.frame}, {@code internal.session}, {@code internal.handshake},
 * {@code internal.extension.deflate}) uses the API; the entry points that drive it ({@code io.duplex.core.engine},
 * {@code io.duplex.core.deflate}) sit on top.
 */
class PackageLayeringTest {

    private static final String API = "io.duplex.core";
    private static final String INTERNAL = "io.duplex.core.internal.";
    /** The internal packages the API may use: they import nothing of the core outside themselves. */
    private static final Set<String> PURE = Set.of(INTERNAL + "http", INTERNAL + "buffer");

    /** Package-level dependencies inside the core. */
    private static Map<String, Set<String>> packages;

    @BeforeAll
    static void readDependencies() throws Exception {
        Path classes = Path.of(WebSocket.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        assertTrue(Files.isExecutable(jdeps), "the JDK's jdeps at " + jdeps);
        Path out = Files.createTempFile("jdeps", ".txt");
        try {
            Process p = new ProcessBuilder(jdeps.toString(), "-verbose:class", "-filter:none", classes.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "jdeps finished");
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), String.join("\n", lines));
            packages = parse(lines);
        } finally {
            Files.deleteIfExists(out);
        }
        assertTrue(packages.getOrDefault(INTERNAL + "session", Set.of()).contains(API),
                "jdeps read the core's classes: " + packages);
    }

    /** Each line of {@code -verbose:class} output is {@code from.Class -> to.Class module}. */
    private static Map<String, Set<String>> parse(List<String> lines) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !f[1].equals("->") || !isCore(f[0]) || !isCore(f[2])) {
                continue;
            }
            String from = packageOf(f[0]);
            String to = packageOf(f[2]);
            graph.computeIfAbsent(from, k -> new TreeSet<>());
            graph.computeIfAbsent(to, k -> new TreeSet<>());
            if (!from.equals(to)) {
                graph.get(from).add(to);
            }
        }
        return graph;
    }

    private static boolean isCore(String className) {
        return className.startsWith(API + ".");
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    @Test
    void theCorePackagesFormNoCycle() {
        List<List<String>> cycles = stronglyConnected(packages);
        assertTrue(cycles.isEmpty(), "core packages in a cycle: " + cycles);
    }

    @Test
    void theApiDependsOnNoInternalPackageButThePureOnes() {
        Set<String> reached = new TreeSet<>(packages.get(API));
        reached.removeIf(p -> !p.startsWith(INTERNAL) || PURE.contains(p));
        assertTrue(reached.isEmpty(), API + " depends on implementation packages " + reached);
    }

    @Test
    void thePureInternalPackagesImportNothingOfTheCore() {
        for (String pure : PURE) {
            Set<String> reached = new TreeSet<>(packages.getOrDefault(pure, Set.of()));
            reached.removeAll(PURE);
            assertTrue(reached.isEmpty(), pure + " depends on " + reached);
        }
    }

    @Test
    void theApiReachesNeitherTheEngineNorTheDeflateEntryPoint() {
        Set<String> reached = new TreeSet<>(packages.get(API));
        reached.retainAll(Set.of(API + ".engine", API + ".deflate"));
        assertTrue(reached.isEmpty(), API + " depends on " + reached);
    }

    /** Tarjan's algorithm: the strongly connected components of more than one node. */
    private static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<List<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, components, counter);
            }
        }
        return components;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> components,
            int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, components, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                components.add(component);
            }
        }
    }
}
