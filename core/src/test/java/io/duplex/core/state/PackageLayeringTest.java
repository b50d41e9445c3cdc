package io.duplex.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.Session;
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
 * The core's layering, read from its compiled classes with the JDK's {@code jdeps}: the API package
 * ({@code io.duplex.core}) and the implementation under {@code io.duplex.core.internal} depend on each other
 * only one way at a time. The API's entry points ({@code Session}, the handshakes, {@code PerMessageDeflate})
 * use the implementation, and the implementation uses the API's values and interfaces, but no chain of
 * dependencies leaves an API class for the implementation and comes back to it; and the implementation's
 * packages form no cycle among themselves.
 */
class PackageLayeringTest {

    private static final String API = "io.duplex.core";
    private static final String INTERNAL = "io.duplex.core.internal.";

    /** Class-level dependencies inside the core, nested classes folded into their top-level class. */
    private static Map<String, Set<String>> edges;

    @BeforeAll
    static void readDependencies() throws Exception {
        Path classes = Path.of(Session.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        assertTrue(Files.isExecutable(jdeps), "the JDK's jdeps at " + jdeps);
        Path out = Files.createTempFile("jdeps", ".txt");
        try {
            Process p = new ProcessBuilder(jdeps.toString(), "-verbose:class", "-filter:none", classes.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "jdeps finished");
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), String.join("\n", lines));
            edges = parse(lines);
        } finally {
            Files.deleteIfExists(out);
        }
        assertTrue(edges.containsKey("io.duplex.core.Session"), "jdeps read the core's classes: " + edges.keySet());
    }

    private static Map<String, Set<String>> parse(List<String> lines) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !f[1].equals("->") || !f[0].startsWith(API + ".") || !f[2].startsWith(API + ".")) {
                continue;
            }
            String from = topLevel(f[0]);
            String to = topLevel(f[2]);
            if (!from.equals(to)) {
                graph.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                graph.computeIfAbsent(to, k -> new TreeSet<>());
            }
        }
        return graph;
    }

    private static String topLevel(String className) {
        int dollar = className.indexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static boolean isApi(String className) {
        return packageOf(className).equals(API);
    }

    @Test
    void noCycleOfClassesCrossesBetweenTheApiAndTheImplementation() {
        List<List<String>> crossing = new ArrayList<>();
        for (List<String> component : stronglyConnected(edges)) {
            boolean api = component.stream().anyMatch(PackageLayeringTest::isApi);
            boolean internal = component.stream().anyMatch(c -> c.startsWith(INTERNAL));
            if (api && internal) {
                crossing.add(component);
            }
        }
        assertTrue(crossing.isEmpty(), "classes that depend on each other across the API boundary: " + crossing);
    }

    @Test
    void theImplementationPackagesFormNoCycle() {
        Map<String, Set<String>> packages = new TreeMap<>();
        edges.forEach((from, tos) -> {
            if (from.startsWith(INTERNAL)) {
                for (String to : tos) {
                    if (to.startsWith(INTERNAL) && !packageOf(from).equals(packageOf(to))) {
                        packages.computeIfAbsent(packageOf(from), k -> new TreeSet<>()).add(packageOf(to));
                        packages.computeIfAbsent(packageOf(to), k -> new TreeSet<>());
                    }
                }
            }
        });
        List<List<String>> cycles = stronglyConnected(packages);
        assertTrue(cycles.isEmpty(), "implementation packages in a cycle: " + cycles);
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
