package io.duplex.nio;

import io.duplex.core.HttpHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/** A plain HTTP response produced by an {@link HttpHandler}. Immutable. */
public final class HttpResponse {

    private final int status;
    private final String reason;
    private final HttpHeaders headers;
    private final byte[] body;

    private HttpResponse(int status, String reason, HttpHeaders headers, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        this.status = status;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = body.clone();
    }

    /**
     * A response with any status, reason phrase, headers and body. {@code Content-Length} and
     * {@code Connection: close} are added when written.
     */
    public static HttpResponse of(int status, String reason, HttpHeaders headers, byte[] body) {
        return new HttpResponse(status, reason, headers, Objects.requireNonNull(body, "body"));
    }

    /** A 200 response with an HTML page. */
    public static HttpResponse html(String page) {
        return withContentType(200, "OK", "text/html; charset=utf-8", page);
    }

    /** A response with a plain-text body. */
    public static HttpResponse text(int status, String reason, String body) {
        return withContentType(status, reason, "text/plain; charset=utf-8", body);
    }

    /**
     * A 200 response with the class-path resource {@code path} (for example {@code "web/index.html"}, no leading
     * slash) from the thread's context class loader, its {@code Content-Type} from the file's extension; a 404
     * when there is no such resource or the path climbs out of its folder ({@code ..}). Read on each call: cache
     * the response for a hot page.
     */
    public static HttpResponse resource(String path) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return resource(loader != null ? loader : HttpResponse.class.getClassLoader(), path);
    }

    /** {@link #resource(String)} from {@code loader}. */
    public static HttpResponse resource(ClassLoader loader, String path) {
        Objects.requireNonNull(loader, "loader");
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty() || p.endsWith("/") || Arrays.asList(p.split("/")).contains("..")) {
            return text(404, "Not Found", "Not found.\n");
        }
        try (InputStream in = loader.getResourceAsStream(p)) {
            if (in == null) {
                return text(404, "Not Found", "Not found.\n");
            }
            return new HttpResponse(200, "OK", HttpHeaders.builder().add("Content-Type", contentType(p)).build(),
                    in.readAllBytes());
        } catch (IOException e) {
            return text(500, "Internal Server Error", "The resource could not be read.\n");
        }
    }

    /** The media type of a file name by its extension; {@code application/octet-stream} when unknown. */
    static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "html", "htm" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json" -> "application/json";
            case "txt" -> "text/plain; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "gif" -> "image/gif";
            case "ico" -> "image/x-icon";
            case "wasm" -> "application/wasm";
            case "webp" -> "image/webp";
            default -> "application/octet-stream";
        };
    }

    private static HttpResponse withContentType(int status, String reason, String type, String body) {
        return new HttpResponse(status, reason, HttpHeaders.builder().add("Content-Type", type).build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The reason phrase. */
    public String reason() {
        return reason;
    }

    /** The header fields. */
    public HttpHeaders headers() {
        return headers;
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    byte[] bodyUnsafe() {
        return body;
    }
}
