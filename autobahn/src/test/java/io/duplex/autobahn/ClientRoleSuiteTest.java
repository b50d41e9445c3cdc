package io.duplex.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Autobahn TestSuite in the client role: the client testee against the suite's own fuzzing server
 * (Jython, in this JVM), judged like the server-role run: every case reported, none FAILED, UNIMPLEMENTED
 * or NON-STRICT. Slow (about 15 minutes with section 9), so it runs only with {@code -Dautobahn.client=true};
 * {@code -Dautobahn.client.cases=1.*,6.6.*} narrows it.
 */
@EnabledIfSystemProperty(named = "autobahn.client", matches = "true")
class ClientRoleSuiteTest {

    private static final Pattern CASE_COUNT = Pattern.compile("running cases \\d+-\\d+ of (\\d+)");

    @Test
    void everyCasePasses() throws Exception {
        Path outdir = SuiteReport.freshDir("autobahn.client.reports", "target/autobahn-client-reports");
        JythonFuzzingServer server = JythonFuzzingServer.start(outdir,
                System.getProperty("autobahn.client.cases", "*"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = ClientCommand.run(List.of("--url", server.url(), "--agent", "duplex"),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String log = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, log);

        List<CaseResult> results = SuiteReport.results(outdir, "duplex");
        Summary summary = new Summary("duplex", results);
        String report = summary.render(true);
        System.out.println(report);
        Matcher m = CASE_COUNT.matcher(log);
        assertTrue(m.find(), log);
        assertEquals(Integer.parseInt(m.group(1)), results.size(), "cases missing from the report\n" + report);
        assertTrue(summary.passed(true), report);
    }
}
