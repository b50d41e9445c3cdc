package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's plain HTTP side: HEAD, methods, routes, query and cookies, resources, request bodies. */
class PlainHttpTest extends LoopbackFixture {

    private static final String HOST = "Host: localhost\r\n";

    private static String exchange(int port, String request) throws Exception {
        try (RawClient raw = new RawClient(port)) {
            raw.send(request);
            return new String(raw.readToEnd(), StandardCharsets.UTF_8);
        }
    }

    private static String status(String response) {
        return response.substring(0, response.indexOf("\r\n"));
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private WebSocketServer serve(HttpHandler http) throws Exception {
        return server(b -> b.handler(new Recorder()).httpHandler(http));
    }

    @Test
    void headGetsTheHeadersOfTheGetAndNoBody() throws Exception {
        WebSocketServer server = serve(req -> HttpResponse.html("<p>hello</p>"));
        String get = exchange(server.port(), "GET / HTTP/1.1\r\n" + HOST + "\r\n");
        String head = exchange(server.port(), "HEAD / HTTP/1.1\r\n" + HOST + "\r\n");
        assertEquals("<p>hello</p>", body(get));
        assertEquals("HTTP/1.1 200 OK", status(head));
        assertTrue(head.contains("\r\nContent-Length: 12\r\n"), head);
        assertTrue(head.endsWith("\r\n\r\n"), "nothing after the header block: " + head);
        assertEquals(get.substring(0, get.indexOf("\r\n\r\n") + 4), head, "the same head as the GET");
    }

    @Test
    void otherMethodsGet405UnlessTheHandlerServesThem() throws Exception {
        WebSocketServer bare = server(new Recorder());
        String post = exchange(bare.port(), "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 0\r\n\r\n");
        assertEquals("HTTP/1.1 405 Method Not Allowed", status(post));
        assertTrue(post.contains("\r\nAllow: GET, HEAD\r\n"), post);
        assertEquals("HTTP/1.1 426 Upgrade Required", status(exchange(bare.port(), "HEAD / HTTP/1.1\r\n" + HOST + "\r\n")));

        WebSocketServer declining = serve(req -> null);
        assertEquals("HTTP/1.1 405 Method Not Allowed",
                status(exchange(declining.port(), "DELETE /x HTTP/1.1\r\n" + HOST + "\r\n")));
        assertEquals("HTTP/1.1 404 Not Found", status(exchange(declining.port(), "GET /x HTTP/1.1\r\n" + HOST + "\r\n")));
    }

    @Test
    void routesMatchExactPathsThenTheLongestPrefixAndAnswer405WithAllow() throws Exception {
        HttpRoutes routes = HttpRoutes.builder()
                .get("/", req -> HttpResponse.text(200, "OK", "root"))
                .getPrefix("/static/", req -> HttpResponse.text(200, "OK", "static " + req.path()))
                .getPrefix("/static/img/", req -> HttpResponse.text(200, "OK", "image " + req.path()))
                .route("POST", "/api/echo", req -> HttpResponse.text(200, "OK", req.bodyText()))
                .build();
        WebSocketServer server = serve(routes);
        int port = server.port();
        assertEquals("root", body(exchange(port, "GET / HTTP/1.1\r\n" + HOST + "\r\n")));
        assertEquals("static /static/a.js", body(exchange(port, "GET /static/a.js HTTP/1.1\r\n" + HOST + "\r\n")));
        assertEquals("image /static/img/b.png", body(exchange(port, "GET /static/img/b.png HTTP/1.1\r\n" + HOST + "\r\n")));
        assertEquals("HTTP/1.1 404 Not Found", status(exchange(port, "GET /nope HTTP/1.1\r\n" + HOST + "\r\n")));
        String wrongMethod = exchange(port, "GET /api/echo HTTP/1.1\r\n" + HOST + "\r\n");
        assertEquals("HTTP/1.1 405 Method Not Allowed", status(wrongMethod));
        assertTrue(wrongMethod.contains("\r\nAllow: POST\r\n"), wrongMethod);
        String putOnGet = exchange(port, "PUT / HTTP/1.1\r\n" + HOST + "Content-Length: 0\r\n\r\n");
        assertTrue(putOnGet.contains("\r\nAllow: GET, HEAD\r\n"), putOnGet);
        assertThrows(IllegalArgumentException.class, () -> HttpRoutes.builder().get("/", r -> null).get("/", r -> null));
        assertThrows(IllegalArgumentException.class, () -> HttpRoutes.builder().get("no-slash", r -> null));
    }

    @Test
    void queryParametersAndCookiesAreReadable() throws Exception {
        BlockingQueue<HttpRequest> seen = new LinkedBlockingQueue<>();
        WebSocketServer server = serve(req -> {
            seen.add(req);
            return HttpResponse.text(200, "OK", "ok");
        });
        exchange(server.port(), "GET /p?room=a%20b&tag=x&tag=y+z&flag&bad=%zz HTTP/1.1\r\n" + HOST
                + "Cookie: session=abc123; theme=\"dark\"\r\nCookie: session=later; lang=en\r\n\r\n");
        HttpRequest req = seen.poll(5, TimeUnit.SECONDS);
        assertEquals("a b", req.queryParameter("room"));
        assertEquals(List.of("x", "y z"), req.queryParameters().get("tag"));
        assertEquals("", req.queryParameter("flag"));
        assertEquals("%zz", req.queryParameter("bad"), "a broken escape keeps its raw text");
        assertNull(req.queryParameter("missing"));
        assertEquals("abc123", req.cookie("session"), "the first of a repeated name wins");
        assertEquals("dark", req.cookie("theme"));
        assertEquals("en", req.cookie("lang"));
        assertNull(req.cookie("missing"));
    }

    @Test
    void classpathResourcesAreServedWithTheirTypeAndNothingOutsideTheirFolder() throws Exception {
        WebSocketServer server = serve(HttpRoutes.builder()
                .getPrefix("/", req -> HttpResponse.resource("web" + req.path())).build());
        String page = exchange(server.port(), "GET /page.html HTTP/1.1\r\n" + HOST + "\r\n");
        assertEquals("HTTP/1.1 200 OK", status(page));
        assertTrue(page.contains("\r\nContent-Type: text/html; charset=utf-8\r\n"), page);
        assertTrue(body(page).contains("resource page"), page);
        assertTrue(exchange(server.port(), "GET /site.css HTTP/1.1\r\n" + HOST + "\r\n")
                .contains("\r\nContent-Type: text/css; charset=utf-8\r\n"));
        assertEquals("HTTP/1.1 404 Not Found", status(exchange(server.port(), "GET /missing.html HTTP/1.1\r\n" + HOST + "\r\n")));
        assertEquals("HTTP/1.1 404 Not Found",
                status(exchange(server.port(), "GET /../io/duplex/nio/PlainHttpTest.class HTTP/1.1\r\n" + HOST + "\r\n")));
    }

    @Test
    void aRequestBodyIsReadEvenWhenItArrivesInPieces() throws Exception {
        WebSocketServer server = serve(req -> HttpResponse.text(200, "OK", req.method() + " " + req.bodyText()));
        String body = "x".repeat(5000) + "é";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("POST /submit HTTP/1.1\r\n" + HOST + "Content-Length: " + bytes.length + "\r\n\r\n");
            raw.send(Arrays.copyOfRange(bytes, 0, 3000));
            Thread.sleep(50); // a separate read on the server
            raw.send(Arrays.copyOfRange(bytes, 3000, bytes.length));
            String response = new String(raw.readToEnd(), StandardCharsets.UTF_8);
            assertEquals("HTTP/1.1 200 OK", status(response));
            assertEquals("POST " + body, body(response));
        }
    }

    @Test
    void bodiesOverTheLimitGet413ChunkedOnes411AndBadLengths400() throws Exception {
        WebSocketServer server = server(b -> b.handler(new Recorder()).maxHttpBodyBytes(100)
                .httpHandler(req -> HttpResponse.text(200, "OK", "read " + req.body().length)));
        int port = server.port();
        assertEquals("read 100", body(exchange(port, "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 100\r\n\r\n"
                + "y".repeat(100))));
        String tooLarge = exchange(port, "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 101\r\n\r\n" + "y".repeat(101));
        assertEquals("HTTP/1.1 413 Content Too Large", status(tooLarge));
        assertFalse(tooLarge.contains("read"), "the handler never saw it");
        assertEquals("HTTP/1.1 413 Content Too Large",
                status(exchange(port, "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 99999999999999\r\n\r\n")));
        assertEquals("HTTP/1.1 411 Length Required", status(exchange(port,
                "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")));
        assertEquals("HTTP/1.1 400 Bad Request",
                status(exchange(port, "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5, 6\r\n\r\nhello!")));
        assertEquals("HTTP/1.1 400 Bad Request",
                status(exchange(port, "POST / HTTP/1.1\r\n" + HOST + "Content-Length: -1\r\n\r\n")));
        assertThrows(IllegalArgumentException.class, () -> WebSocketServer.builder().maxHttpBodyBytes(-1));
    }
}
