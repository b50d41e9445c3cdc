package io.duplex.nio;

import io.duplex.core.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link HttpHandler} that routes by path and method: a route matches a path exactly or, for a prefix
 * route, every path that starts with its prefix; an exact route wins over prefixes, and a longer prefix over a
 * shorter one. A {@code GET} route also answers {@code HEAD}. A path with routes but none for the request's
 * method gets 405 with the {@code Allow} field; a path with no route is left to the server (404).
 *
 * <pre>{@code
 * HttpRoutes routes = HttpRoutes.builder()
 *         .get("/", request -> HttpResponse.resource("web/index.html"))
 *         .getPrefix("/static/", request -> HttpResponse.resource("web" + request.path().substring(7)))
 *         .route("POST", "/api/echo", request -> HttpResponse.text(200, "OK", request.bodyText()))
 *         .build();
 * }</pre>
 *
 * Immutable and thread-safe once built.
 */
public final class HttpRoutes implements HttpHandler {

    /** Path → method → handler, exact paths first. */
    private final Map<String, Map<String, HttpHandler>> exact;
    /** Prefixes with their routes, longest prefix first. */
    private final List<Map.Entry<String, Map<String, HttpHandler>>> prefixes;

    private HttpRoutes(Builder b) {
        this.exact = copy(b.exact);
        List<Map.Entry<String, Map<String, HttpHandler>>> p = new ArrayList<>();
        b.prefixes.forEach((prefix, methods) -> p.add(Map.entry(prefix, Map.copyOf(methods))));
        p.sort((x, y) -> Integer.compare(y.getKey().length(), x.getKey().length()));
        this.prefixes = List.copyOf(p);
    }

    private static Map<String, Map<String, HttpHandler>> copy(Map<String, Map<String, HttpHandler>> m) {
        Map<String, Map<String, HttpHandler>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, Map.copyOf(v)));
        return Map.copyOf(out);
    }

    /** A builder with no routes. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        Map<String, HttpHandler> methods = exact.get(request.path());
        if (methods == null) {
            for (Map.Entry<String, Map<String, HttpHandler>> e : prefixes) {
                if (request.path().startsWith(e.getKey())) {
                    methods = e.getValue();
                    break;
                }
            }
        }
        if (methods == null) {
            return null;
        }
        String method = request.method();
        HttpHandler h = methods.get(method);
        if (h == null && method.equals("HEAD")) {
            h = methods.get("GET");
        }
        if (h == null) {
            List<String> allowed = new ArrayList<>(methods.keySet());
            if (allowed.contains("GET") && !allowed.contains("HEAD")) {
                allowed.add("HEAD");
            }
            allowed.sort(null);
            return HttpResponse.of(405, "Method Not Allowed",
                    HttpHeaders.builder().add("Allow", String.join(", ", allowed)).build(), new byte[0]);
        }
        return h.handle(request);
    }

    /** Builds {@link HttpRoutes}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Map<String, HttpHandler>> exact = new LinkedHashMap<>();
        private final Map<String, Map<String, HttpHandler>> prefixes = new LinkedHashMap<>();

        private Builder() {
        }

        /** {@code GET} (and {@code HEAD}) on exactly {@code path}. */
        public Builder get(String path, HttpHandler handler) {
            return route("GET", path, handler);
        }

        /** {@code GET} (and {@code HEAD}) on every path starting with {@code prefix}. */
        public Builder getPrefix(String prefix, HttpHandler handler) {
            return routePrefix("GET", prefix, handler);
        }

        /**
         * {@code method} on exactly {@code path}.
         *
         * @throws IllegalArgumentException if the path does not start with {@code /}, the method is not an
         *     HTTP token, or the route is already taken
         */
        public Builder route(String method, String path, HttpHandler handler) {
            add(exact, method, path, handler);
            return this;
        }

        /** {@code method} on every path starting with {@code prefix}; see {@link #route}. */
        public Builder routePrefix(String method, String prefix, HttpHandler handler) {
            add(prefixes, method, prefix, handler);
            return this;
        }

        private static void add(Map<String, Map<String, HttpHandler>> table, String method, String path,
                HttpHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a route's path starts with '/': " + path);
            }
            if (method.isEmpty() || !method.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("not an HTTP method: " + method);
            }
            String m = method.toUpperCase(Locale.ROOT);
            if (table.computeIfAbsent(path, k -> new LinkedHashMap<>()).putIfAbsent(m, handler) != null) {
                throw new IllegalArgumentException("route already taken: " + m + " " + path);
            }
        }

        /** The routes. */
        public HttpRoutes build() {
            return new HttpRoutes(this);
        }
    }
}
