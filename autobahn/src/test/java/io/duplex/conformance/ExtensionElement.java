package io.duplex.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One element of a {@code Sec-WebSocket-Extensions} value (RFC 6455 §9.1): an extension name and its
 * parameters in order, duplicates kept so a case can see them. A plain reading for the test's own checks,
 * independent of the parser under test; quoted values lose their quotes (RFC 7692 §7.1 allows them).
 *
 * @param name the extension token
 * @param parameters name and value of each parameter; the value is null when the parameter has none
 */
record ExtensionElement(String name, List<String[]> parameters) {

    static List<ExtensionElement> parseAll(String header) {
        List<ExtensionElement> elements = new ArrayList<>();
        if (header.isBlank()) {
            return elements;
        }
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            List<String[]> params = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                String[] nv = parts[i].split("=", 2);
                String value = nv.length == 2 ? nv[1].trim().replace("\"", "") : null;
                params.add(new String[] {nv[0].trim().toLowerCase(Locale.ROOT), value});
            }
            elements.add(new ExtensionElement(parts[0].trim().toLowerCase(Locale.ROOT), params));
        }
        return elements;
    }

    /** How many times {@code parameter} appears. */
    long count(String parameter) {
        return parameters.stream().filter(p -> p[0].equals(parameter)).count();
    }

    boolean has(String parameter) {
        return count(parameter) > 0;
    }

    /** The value of {@code parameter}, or null when absent or without a value. */
    String value(String parameter) {
        for (String[] p : parameters) {
            if (p[0].equals(parameter)) {
                return p[1];
            }
        }
        return null;
    }
}
