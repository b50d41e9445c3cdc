package io.duplex.autobahn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code --name value} options of one subcommand, checked against the names it knows. */
final class Flags {

    private final Map<String, String> values;

    private Flags(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads {@code args} as {@code --name value} pairs.
     *
     * @throws IllegalArgumentException on an unknown name, a name without a value, or a stray word
     */
    static Flags parse(List<String> args, List<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String name = args.get(i);
            if (!name.startsWith("--") || !known.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option " + name + "; known: --" + String.join(", --", known));
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(name.substring(2), args.get(i + 1));
        }
        return new Flags(values);
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The value of {@code name} as an int in {@code [min, max]}, or {@code fallback} when absent. */
    int integer(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a number: " + v);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("--" + name + " must be from " + min + " to " + max + ": " + v);
        }
        return n;
    }
}
