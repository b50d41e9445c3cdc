package io.duplex.autobahn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** Counts of one outcome field (behavior or behaviorClose) per section, printable as a table. */
final class Tally {

    private final Map<Integer, Map<String, Integer>> bySection = new TreeMap<>();
    private final Map<String, Integer> totals = new TreeMap<>();

    private Tally() {
    }

    /** Counts {@code field} of every result, by section. */
    static Tally of(List<CaseResult> results, Function<CaseResult, String> field) {
        Tally t = new Tally();
        for (CaseResult r : results) {
            String value = field.apply(r);
            t.bySection.computeIfAbsent(r.section(), s -> new TreeMap<>()).merge(value, 1, Integer::sum);
            t.totals.merge(value, 1, Integer::sum);
        }
        return t;
    }

    /** How many results of {@code section} have {@code value}. */
    int count(int section, String value) {
        return bySection.getOrDefault(section, Map.of()).getOrDefault(value, 0);
    }

    /** How many results over all sections have {@code value}. */
    int total(String value) {
        return totals.getOrDefault(value, 0);
    }

    /** The sections seen, ascending. */
    Set<Integer> sections() {
        return bySection.keySet();
    }

    /**
     * A table: a row per section and a total row; columns {@code first} in that order, then any other value
     * seen, so an outcome the summarizer does not know is still counted.
     */
    String table(String title, List<String> first) {
        Set<String> columns = new LinkedHashSet<>(first);
        columns.addAll(totals.keySet());
        List<String> header = new ArrayList<>(List.of(title, "cases"));
        header.addAll(columns);
        int[] widths = header.stream().mapToInt(h -> Math.max(h.length(), 5)).toArray();
        StringBuilder out = new StringBuilder();
        row(out, widths, header);
        for (Map.Entry<Integer, Map<String, Integer>> s : bySection.entrySet()) {
            row(out, widths, cells(String.valueOf(s.getKey()), s.getValue(), columns));
        }
        row(out, widths, cells("total", totals, columns));
        return out.toString();
    }

    private static List<String> cells(String label, Map<String, Integer> counts, Set<String> columns) {
        List<String> cells = new ArrayList<>();
        cells.add(label);
        cells.add(String.valueOf(counts.values().stream().mapToInt(Integer::intValue).sum()));
        for (String c : columns) {
            cells.add(String.valueOf(counts.getOrDefault(c, 0)));
        }
        return cells;
    }

    private static void row(StringBuilder out, int[] widths, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            if (i == 0) {
                out.append(cell).append(" ".repeat(widths[i] - cell.length()));
            } else {
                out.append("  ").append(" ".repeat(widths[i] - cell.length())).append(cell);
            }
        }
        out.append('\n');
    }
}
