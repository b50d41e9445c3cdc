package io.duplex.autobahn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code index.json} the suite writes next to its HTML report:
 * {@code {"agent": {"1.1.1": {"behavior": "OK", "behaviorClose": "OK", "remoteCloseCode": 1000, ...}}}}.
 */
final class ReportIndex {

    private final Map<String, List<CaseResult>> byAgent;

    private ReportIndex(Map<String, List<CaseResult>> byAgent) {
        this.byAgent = byAgent;
    }

    /** Reads an index from its JSON text. */
    static ReportIndex parse(String json) throws JsonSyntaxException {
        Map<String, Object> agents = object(JsonReader.parse(json), "the index");
        Map<String, List<CaseResult>> byAgent = new LinkedHashMap<>();
        for (Map.Entry<String, Object> agent : agents.entrySet()) {
            List<CaseResult> results = new ArrayList<>();
            for (Map.Entry<String, Object> c : object(agent.getValue(), "agent " + agent.getKey()).entrySet()) {
                Map<String, Object> fields = object(c.getValue(), "case " + c.getKey());
                results.add(new CaseResult(c.getKey(), text(fields, "behavior"), text(fields, "behaviorClose"),
                        code(fields.get("remoteCloseCode"))));
            }
            results.sort(CaseResult.BY_ID);
            byAgent.put(agent.getKey(), Collections.unmodifiableList(results));
        }
        return new ReportIndex(Collections.unmodifiableMap(byAgent));
    }

    /** Each agent's results in case order. */
    Map<String, List<CaseResult>> byAgent() {
        return byAgent;
    }

    /** How many cases the index holds over all agents. */
    int caseCount() {
        return byAgent.values().stream().mapToInt(List::size).sum();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) throws JsonSyntaxException {
        if (!(value instanceof Map)) {
            throw new JsonSyntaxException(what + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static String text(Map<String, Object> fields, String name) {
        Object v = fields.get(name);
        return v == null ? "(none)" : v.toString();
    }

    private static Integer code(Object v) {
        return v instanceof Double d ? Integer.valueOf(d.intValue()) : null;
    }
}
