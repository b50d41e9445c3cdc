package io.duplex.autobahn;

/**
 * The case numbers to run against the fuzzing server, {@code first} to {@code last} inclusive, counting from
 * 1 as its {@code /runCase?case=N} does.
 */
record CaseRange(int first, int last) {

    /**
     * Reads {@code "N"} or {@code "A-B"}, within the server's {@code count} cases.
     *
     * @throws IllegalArgumentException if malformed, empty, or outside 1..count
     */
    static CaseRange parse(String spec, int count) {
        int dash = spec.indexOf('-');
        int first;
        int last;
        try {
            first = Integer.parseInt(dash < 0 ? spec : spec.substring(0, dash).trim());
            last = dash < 0 ? first : Integer.parseInt(spec.substring(dash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--cases must be N or A-B: " + spec);
        }
        if (first < 1 || last > count || first > last) {
            throw new IllegalArgumentException("--cases " + spec + " is not within 1-" + count);
        }
        return new CaseRange(first, last);
    }

    /** All of the server's cases. */
    static CaseRange all(int count) {
        return new CaseRange(1, count);
    }

    int size() {
        return last - first + 1;
    }
}
