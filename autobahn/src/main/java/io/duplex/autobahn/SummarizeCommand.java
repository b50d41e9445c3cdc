package io.duplex.autobahn;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code summarize [--fail-on-non-strict] INDEX.json}: prints each agent's outcome counts per section and
 * every case that is not OK. Exit status 0 when no case FAILED or is UNIMPLEMENTED (or closed by the wrong
 * endpoint), 1 when some did, 2 when the index is missing, unreadable or empty.
 */
final class SummarizeCommand {

    static final int PASSED = 0;
    static final int BROKEN_CASES = 1;
    static final int BAD_INPUT = 2;

    private SummarizeCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean failOnNonStrict = args.contains("--fail-on-non-strict");
        List<String> files = args.stream().filter(a -> !a.startsWith("--")).toList();
        if (files.size() != 1) {
            err.println("usage: summarize [--fail-on-non-strict] path/to/index.json");
            return BAD_INPUT;
        }
        Path index = Path.of(files.get(0));
        ReportIndex report;
        try {
            report = ReportIndex.parse(Files.readString(index, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            err.println("no report at " + index + ": did the suite run?");
            return BAD_INPUT;
        } catch (IOException | JsonSyntaxException e) {
            err.println("cannot read " + index + ": " + e.getMessage());
            return BAD_INPUT;
        }
        if (report.caseCount() == 0) {
            err.println(index + " holds no cases");
            return BAD_INPUT;
        }
        boolean passed = true;
        for (Map.Entry<String, List<CaseResult>> agent : report.byAgent().entrySet()) {
            Summary summary = new Summary(agent.getKey(), agent.getValue());
            out.print(summary.render(failOnNonStrict));
            passed &= summary.passed(failOnNonStrict);
        }
        return passed ? PASSED : BROKEN_CASES;
    }
}
