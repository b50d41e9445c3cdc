package io.duplex.autobahn;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where an Autobahn run of these tests writes its report, and the results read back from it. */
final class SuiteReport {

    private SuiteReport() {
    }

    /**
     * The report directory named by system property {@code property} (else {@code fallback}), created, without
     * an {@code index.json} from an earlier run.
     */
    static Path freshDir(String property, String fallback) throws IOException {
        Path outdir = Path.of(System.getProperty(property, fallback)).toAbsolutePath();
        Files.createDirectories(outdir);
        Files.deleteIfExists(outdir.resolve("index.json"));
        return outdir;
    }

    /** The results of {@code agent} in {@code outdir}'s {@code index.json}; fails the test if there are none. */
    static List<CaseResult> results(Path outdir, String agent) throws IOException, JsonSyntaxException {
        ReportIndex index = ReportIndex.parse(Files.readString(outdir.resolve("index.json")));
        List<CaseResult> results = index.byAgent().get(agent);
        assertNotNull(results, "no results for agent " + agent);
        return results;
    }
}
