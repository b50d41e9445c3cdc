package io.duplex.autobahn;

import java.util.Comparator;

/**
 * One case's outcome in an Autobahn report index.
 *
 * @param id the case id, such as {@code "9.1.6"}
 * @param behavior the outcome of the case's test: {@code OK}, {@code NON-STRICT}, {@code INFORMATIONAL},
 *     {@code UNIMPLEMENTED}, {@code FAILED} (or another word a newer suite uses)
 * @param behaviorClose the outcome of its closing: {@code OK}, {@code FAILED}, {@code WRONG CODE},
 *     {@code UNCLEAN}, {@code FAILED BY CLIENT}, {@code INFORMATIONAL}
 * @param remoteCloseCode the close code the testee sent, or {@code null} when it sent none
 */
record CaseResult(String id, String behavior, String behaviorClose, Integer remoteCloseCode) {

    static final String OK = "OK";
    static final String NON_STRICT = "NON-STRICT";
    static final String INFORMATIONAL = "INFORMATIONAL";
    static final String UNIMPLEMENTED = "UNIMPLEMENTED";
    static final String FAILED = "FAILED";

    /** Case ids in the suite's order: numerically, part by part ("9.1.10" after "9.1.9"). */
    static final Comparator<CaseResult> BY_ID = (a, b) -> compareIds(a.id, b.id);

    /** The section: the id's first number (0 when the id does not start with one). */
    int section() {
        int dot = id.indexOf('.');
        return number(dot < 0 ? id : id.substring(0, dot));
    }

    /** Whether both the case and its closing went exactly as the suite prefers. */
    boolean ok() {
        return OK.equals(behavior) && OK.equals(behaviorClose);
    }

    /**
     * Whether the case breaks the protocol: a FAILED or UNIMPLEMENTED test, or a connection closed by the
     * wrong endpoint (behaviorClose FAILED: the testee missed what it should have failed on, or failed what
     * it should have accepted).
     */
    boolean broken() {
        return FAILED.equals(behavior) || UNIMPLEMENTED.equals(behavior) || FAILED.equals(behaviorClose);
    }

    private static int compareIds(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(number(x[i]), number(y[i]));
            if (c == 0) {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static int number(String part) {
        int n = 0;
        for (int i = 0; i < part.length() && i < 9; i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
