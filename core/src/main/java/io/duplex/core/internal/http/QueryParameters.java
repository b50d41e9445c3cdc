package io.duplex.core.internal.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a query string ({@code a=1&b=x%20y&a=2}) as HTML forms encode them
 * ({@code application/x-www-form-urlencoded}): {@code +} is a space and {@code %XX} a UTF-8 byte. A pair
 * whose encoding is broken keeps its raw text rather than failing the request, so a bad parameter never
 * hides the good ones.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** Every parameter in order of first appearance, each with its values in order; unmodifiable. */
    public static Map<String, List<String>> parse(String query) {
        if (query.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        out.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(out);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
