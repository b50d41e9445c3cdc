package io.duplex.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summarizer on index.json files written here, in the suite's format, with known outcomes. */
class SummarizeCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void allOkExitsZero() throws IOException {
        Index index = new Index("duplex");
        index.add("1.1.1", "OK", "OK").add("2.1", "OK", "OK").add("9.1.1", "OK", "OK");
        assertEquals(0, summarize(index.write()));
        assertTrue(stdout().contains("every case OK"), stdout());
        assertTrue(stdout().contains("PASSED"), stdout());
    }

    @Test
    void oneFailedCaseExitsNonZeroAndIsListed() throws IOException {
        Index index = new Index("duplex");
        index.add("1.1.1", "OK", "OK").add("6.4.3", "FAILED", "OK").add("7.1.1", "OK", "OK");
        assertEquals(1, summarize(index.write()));
        assertTrue(stdout().contains("6.4.3  behavior=FAILED"), stdout());
        assertFalse(stdout().contains("1.1.1  behavior"), stdout());
    }

    @Test
    void unimplementedExitsNonZero() throws IOException {
        Index index = new Index("duplex");
        index.add("12.1.1", "UNIMPLEMENTED", "OK").add("1.1.1", "OK", "OK");
        assertEquals(1, summarize(index.write()));
        assertTrue(stdout().contains("12.1.1  behavior=UNIMPLEMENTED"), stdout());
    }

    @Test
    void closedByTheWrongEndpointExitsNonZero() throws IOException {
        Index index = new Index("duplex");
        index.add("5.1", "OK", "FAILED");
        assertEquals(1, summarize(index.write()));
        assertTrue(stdout().contains("5.1  behavior=OK  behaviorClose=FAILED"), stdout());
    }

    @Test
    void nonStrictIsListedButPassesUnlessAskedOtherwise() throws IOException {
        Index index = new Index("duplex");
        index.add("6.4.1", "NON-STRICT", "OK").add("7.3.1", "INFORMATIONAL", "INFORMATIONAL");
        Path file = index.write();
        assertEquals(0, summarize(file));
        assertTrue(stdout().contains("6.4.1  behavior=NON-STRICT"), stdout());
        assertTrue(stdout().contains("7.3.1  behavior=INFORMATIONAL  behaviorClose=INFORMATIONAL"), stdout());
        assertEquals(1, summarize(file, "--fail-on-non-strict"));
    }

    @Test
    void countsEachOutcomePerSection() throws Exception {
        Index index = new Index("duplex");
        Map<String, Integer> expected = new LinkedHashMap<>();
        String[] outcomes = {"OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"};
        for (int section = 1; section <= 13; section++) {
            for (int o = 0; o < outcomes.length; o++) {
                int n = (section * 7 + o * 3) % 5; // a different count for each (section, outcome)
                for (int i = 1; i <= n; i++) {
                    index.add(section + "." + (o + 1) + "." + i, outcomes[o], i % 2 == 0 ? "OK" : "WRONG CODE");
                }
                expected.put(section + "/" + outcomes[o], n);
            }
        }
        Path file = index.write();
        ReportIndex report = ReportIndex.parse(Files.readString(file));
        Summary summary = new Summary("duplex", report.byAgent().get("duplex"));
        int wrongCode = 0;
        for (int section = 1; section <= 13; section++) {
            for (String outcome : outcomes) {
                int n = expected.get(section + "/" + outcome);
                assertEquals(n, summary.behaviors().count(section, outcome), section + " " + outcome);
                wrongCode += (n + 1) / 2;
            }
        }
        assertEquals(wrongCode, summary.closeBehaviors().total("WRONG CODE"));
        assertEquals(index.size() - wrongCode, summary.closeBehaviors().total("OK"));
    }

    @Test
    void tableRowsCarryTheCounts() throws IOException {
        Index index = new Index("duplex");
        index.add("1.1.1", "OK", "OK").add("1.1.2", "OK", "OK").add("1.2.1", "NON-STRICT", "OK")
                .add("10.1.1", "FAILED", "OK");
        summarize(index.write());
        List<String> lines = stdout().lines().toList();
        // columns: section, cases, OK, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED, FAILED
        assertTrue(lines.contains(row("1", 3, 2, 1, 0, 0, 0)), stdout());
        assertTrue(lines.contains(row("10", 1, 0, 0, 0, 0, 1)), stdout());
        assertTrue(lines.contains(row("total", 4, 2, 1, 0, 0, 1)), stdout());
    }

    @Test
    void listsCasesInTheSuitesNumericOrder() throws IOException {
        Index index = new Index("duplex");
        index.add("9.1.10", "FAILED", "OK").add("9.1.9", "FAILED", "OK").add("10.1.1", "FAILED", "OK")
                .add("2.10", "FAILED", "OK").add("2.9", "FAILED", "OK");
        summarize(index.write());
        String s = stdout();
        assertTrue(s.indexOf("2.9 ") < s.indexOf("2.10 "), s);
        assertTrue(s.indexOf("2.10 ") < s.indexOf("9.1.9 "), s);
        assertTrue(s.indexOf("9.1.9 ") < s.indexOf("9.1.10 "), s);
        assertTrue(s.indexOf("9.1.10 ") < s.indexOf("10.1.1 "), s);
    }

    @Test
    void summarizesEveryAgentAndFailsIfAnyFails() throws IOException {
        Index index = new Index("duplex");
        index.add("1.1.1", "OK", "OK");
        index.agent("other").add("1.1.1", "FAILED", "OK");
        assertEquals(1, summarize(index.write()));
        assertTrue(stdout().contains("PASSED (agent duplex)"), stdout());
        assertTrue(stdout().contains("FAILED (agent other)"), stdout());
    }

    @Test
    void missingFileExitsNonZero() {
        assertEquals(2, summarize(dir.resolve("absent.json")));
        assertTrue(stderr().contains("absent.json"), stderr());
    }

    @Test
    void indexWithoutCasesExitsNonZero() throws IOException {
        assertEquals(2, summarize(Files.writeString(dir.resolve("a.json"), "{}")));
        assertEquals(2, summarize(Files.writeString(dir.resolve("b.json"), "{\"duplex\": {}}")));
    }

    @Test
    void malformedIndexExitsNonZero() throws IOException {
        assertEquals(2, summarize(Files.writeString(dir.resolve("a.json"), "{\"duplex\": {\"1.1.1\": ")));
        assertEquals(2, summarize(Files.writeString(dir.resolve("b.json"), "[1, 2]")));
        assertEquals(2, summarize(Files.writeString(dir.resolve("c.json"), "{\"duplex\": {\"1.1.1\": 3}}")));
    }

    @Test
    void missingArgumentIsAUsageError() {
        assertEquals(2, SummarizeCommand.run(List.of(), new PrintStream(out), new PrintStream(err)));
        assertTrue(stderr().contains("usage"), stderr());
    }

    private static String row(String label, int... counts) {
        String[] header = {"behavior/section", "cases", "OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED",
            "FAILED"};
        StringBuilder b = new StringBuilder(label).append(" ".repeat(header[0].length() - label.length()));
        for (int i = 0; i < counts.length; i++) {
            String cell = String.valueOf(counts[i]);
            int width = Math.max(header[i + 1].length(), 5);
            b.append("  ").append(" ".repeat(width - cell.length())).append(cell);
        }
        return b.toString();
    }

    private int summarize(Path file, String... flags) {
        out.reset();
        err.reset();
        List<String> args = new ArrayList<>(List.of(flags));
        args.add(file.toString());
        return SummarizeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Writes an index in the suite's format, field for field. */
    private final class Index {
        private final Map<String, StringBuilder> agents = new LinkedHashMap<>();
        private StringBuilder current;
        private int size;

        Index(String agent) {
            agent(agent);
        }

        Index agent(String name) {
            current = agents.computeIfAbsent(name, n -> new StringBuilder());
            return this;
        }

        Index add(String id, String behavior, String behaviorClose) {
            if (current.length() > 0) {
                current.append(",\n");
            }
            current.append("    \"").append(id).append("\": {\"behavior\": \"").append(behavior)
                    .append("\", \"behaviorClose\": \"").append(behaviorClose)
                    .append("\", \"duration\": 3, \"remoteCloseCode\": 1000, \"reportfile\": \"duplex_case_")
                    .append(id.replace('.', '_')).append(".json\"}");
            size++;
            return this;
        }

        int size() {
            return size;
        }

        Path write() throws IOException {
            StringBuilder json = new StringBuilder("{\n");
            String sep = "";
            for (Map.Entry<String, StringBuilder> a : agents.entrySet()) {
                json.append(sep).append("  \"").append(a.getKey()).append("\": {\n").append(a.getValue())
                        .append("\n  }");
                sep = ",\n";
            }
            return Files.writeString(dir.resolve("index-" + size + "-" + System.nanoTime() + ".json"),
                    json.append("\n}\n"));
        }
    }
}
