package io.duplex.core.internal.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cookies of a request's {@code Cookie} fields (RFC 6265 §4.2, §5.4): {@code name=value} pairs separated
 * by {@code ;}, a value optionally in double quotes. A pair without {@code =} is skipped; when a name repeats,
 * the first wins, as browsers send the most specific cookie first (§5.4 step 2).
 */
public final class CookieHeader {

    private CookieHeader() {
    }

    /** The cookies of every {@code Cookie} field value in {@code fields}, by name; unmodifiable. */
    public static Map<String, String> parse(List<String> fields) {
        if (fields.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String field : fields) {
            for (String pair : field.split(";")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!name.isEmpty()) {
                    out.putIfAbsent(name, value);
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
