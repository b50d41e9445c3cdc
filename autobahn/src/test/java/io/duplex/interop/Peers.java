package io.duplex.interop;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the independent peers the interop tests run against. A missing peer skips its test on a developer's
 * machine but fails it in CI ({@code CI=true}), where {@code .ci/install-peers} must have installed it: a
 * green CI must never hide an interop test that did not run.
 */
final class Peers {

    private static final String INSTALL_HINT = ": run .ci/install-peers";
    /** Debian's interpreter, where python3-websockets installs; a pyenv python3 earlier on PATH lacks it. */
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    /** What a test does about a peer. */
    enum Verdict { RUN, SKIP, FAIL }

    private Peers() {
    }

    /** The rule: run when present; when missing, fail if {@code ciVariable} is "true", else skip. */
    static Verdict decide(boolean present, String ciVariable) {
        if (present) {
            return Verdict.RUN;
        }
        return "true".equalsIgnoreCase(ciVariable == null ? null : ciVariable.trim()) ? Verdict.FAIL : Verdict.SKIP;
    }

    /** Applies {@link #decide} with {@code ciVariable}: returns, aborts the test, or fails it. */
    static void require(String missingMessage, boolean present, String ciVariable) {
        switch (decide(present, ciVariable)) {
            case RUN -> { }
            case SKIP -> Assumptions.assumeTrue(false, missingMessage + INSTALL_HINT);
            case FAIL -> Assertions.fail(missingMessage + INSTALL_HINT + " (CI=true: interop peers are required)");
        }
    }

    private static void require(String missingMessage, boolean present) {
        require(missingMessage, present, System.getenv("CI"));
    }

    /** The peer programs' folder, {@code autobahn/src/test/peers}. */
    static Path directory() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src", "test", "peers");
    }

    /** The command that runs a Python peer: Debian's python3 with the websockets package. */
    static List<String> python() {
        boolean present = Files.isExecutable(DEBIAN_PYTHON)
                && succeeds(List.of(DEBIAN_PYTHON.toString(), "-c", "import websockets"));
        require("python3-websockets not installed (for " + DEBIAN_PYTHON + ")", present);
        return List.of(DEBIAN_PYTHON.toString());
    }

    /** The command that runs a Node peer, once {@code ws} is installed in the peers' node folder. */
    static List<String> node() {
        Optional<Path> node = onPath("node");
        boolean present = node.isPresent()
                && Files.isRegularFile(directory().resolve("node/node_modules/ws/package.json"));
        require("node or its ws package (npm ci in " + directory().resolve("node") + ") not installed", present);
        return List.of(node.orElseThrow().toString());
    }

    /** The Chromium executable. */
    static Path chromium() {
        Optional<Path> chromium = onPath("chromium").or(() -> onPath("chromium-browser"));
        require("chromium not installed", chromium.isPresent());
        return chromium.orElseThrow();
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
