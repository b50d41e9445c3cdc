package io.duplex.autobahn;

import java.util.List;

/** One agent's results digested: outcome counts per section, the cases that are not OK, and a verdict. */
final class Summary {

    private static final List<String> BEHAVIORS = List.of(CaseResult.OK, CaseResult.NON_STRICT,
            CaseResult.INFORMATIONAL, CaseResult.UNIMPLEMENTED, CaseResult.FAILED);
    private static final List<String> CLOSE_BEHAVIORS = List.of(CaseResult.OK);

    private final String agent;
    private final List<CaseResult> results;
    private final Tally behaviors;
    private final Tally closeBehaviors;

    /** Digests {@code results}, given in case order. */
    Summary(String agent, List<CaseResult> results) {
        this.agent = agent;
        this.results = List.copyOf(results);
        this.behaviors = Tally.of(results, CaseResult::behavior);
        this.closeBehaviors = Tally.of(results, CaseResult::behaviorClose);
    }

    Tally behaviors() {
        return behaviors;
    }

    Tally closeBehaviors() {
        return closeBehaviors;
    }

    /** Every case whose behavior or closing behavior is not OK, in case order. */
    List<CaseResult> notOk() {
        return results.stream().filter(r -> !r.ok()).toList();
    }

    /** Whether no case is {@link CaseResult#broken() broken} (and, if asked, none is NON-STRICT). */
    boolean passed(boolean failOnNonStrict) {
        return results.stream().noneMatch(r -> r.broken()
                || (failOnNonStrict && CaseResult.NON_STRICT.equals(r.behavior())));
    }

    /** The printable report. */
    String render(boolean failOnNonStrict) {
        StringBuilder out = new StringBuilder();
        out.append("agent ").append(agent).append(": ").append(results.size()).append(" cases\n\n");
        out.append(behaviors.table("behavior/section", BEHAVIORS)).append('\n');
        out.append(closeBehaviors.table("close/section", CLOSE_BEHAVIORS)).append('\n');
        List<CaseResult> notOk = notOk();
        if (notOk.isEmpty()) {
            out.append("every case OK\n");
        } else {
            out.append("not OK (").append(notOk.size()).append("):\n");
            for (CaseResult r : notOk) {
                out.append("  ").append(r.id()).append("  behavior=").append(r.behavior())
                        .append("  behaviorClose=").append(r.behaviorClose())
                        .append("  remoteCloseCode=").append(r.remoteCloseCode() == null ? "none" : r.remoteCloseCode())
                        .append(r.broken() ? "  <-- breaks the protocol" : "").append('\n');
            }
        }
        out.append(passed(failOnNonStrict) ? "PASSED" : "FAILED").append(" (agent ").append(agent).append(")\n");
        return out.toString();
    }
}
