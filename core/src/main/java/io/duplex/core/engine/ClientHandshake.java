package io.duplex.core.engine;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionFactory;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakeException;
import io.duplex.core.HandshakeRequest;
import io.duplex.core.HttpHeaders;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.internal.handshake.AcceptKey;
import io.duplex.core.internal.handshake.HeaderBlockReader;
import io.duplex.core.internal.handshake.HttpHead;
import io.duplex.core.internal.handshake.HttpHeadWriter;
import io.duplex.core.internal.handshake.NegotiatedExtensions;
import io.duplex.core.internal.handshake.StatusLine;
import io.duplex.core.internal.http.HttpGrammar;
import io.duplex.core.internal.http.ReservedHeaders;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The client side of the opening handshake (RFC 6455 §4.1), sans I/O: write {@link #request()}, then feed the
 * server's bytes until the state is {@link State#OPENED} or {@link State#FAILED}.
 *
 * <p>It reads exactly the response's header block and leaves what follows (frames the server sent right
 * behind its 101) in the buffer for the session. A response is accepted only when its status is 101, its
 * {@code Upgrade} names {@code websocket}, its {@code Connection} holds {@code upgrade}, its
 * {@code Sec-WebSocket-Accept} is exactly the one expected for our key, its {@code Sec-WebSocket-Protocol}
 * (if any) is one value we offered, and its {@code Sec-WebSocket-Extensions} names only extensions we offered,
 * each once and accepted by its factory (RFC 6455 §4.1, client requirements 1–6). Not thread-safe.
 */
public final class ClientHandshake {

    /** Where the handshake stands. */
    public enum State {
        /** The response's header block is incomplete: feed more bytes. */
        NEED_MORE,
        /** The server accepted: run the session. */
        OPENED,
        /** The server refused or answered invalidly: fail the connection (see {@link #failure()}). */
        FAILED
    }

    private final List<String> subprotocols;
    private final List<ExtensionFactory> factories;
    private final WebSocketConfig config;
    private final HandshakeRequest requestHead;
    private final ByteBuffer request;
    private final String expectedAccept;
    private final HeaderBlockReader reader;
    private State state = State.NEED_MORE;
    private int status;
    private HttpHeaders responseHeaders = HttpHeaders.empty();
    private String subprotocol = "";
    private NegotiatedExtensions extensions = new NegotiatedExtensions(List.of(), "");
    private HandshakeException failure;
    private HttpHead head;

    /**
     * Prepares a handshake with a fresh random key.
     *
     * @param uri a {@code ws://} or {@code wss://} URI without fragment; its path and query become the
     *     request-target, its host and (non-default) port the {@code Host} header
     * @param subprotocols the subprotocols to offer, most preferred first; tokens, no duplicates
     * @param extraHeaders more request headers (cookies, authorization ...); {@code null} for none
     * @param origin the {@code Origin} header, or {@code null} to send none
     * @param extensions the extensions to offer, in order
     * @param config the limits for reading the response
     * @throws IllegalArgumentException if the URI is not an absolute ws/wss URI with a host, a subprotocol
     *     is not a token or is repeated, or {@code extraHeaders} holds a field the handshake writes itself
     *     ({@code Host}, {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-*}, and {@code Origin}
     *     when {@code origin} is given)
     */
    public ClientHandshake(URI uri, List<String> subprotocols, HttpHeaders extraHeaders, String origin,
            List<ExtensionFactory> extensions, WebSocketConfig config) {
        Objects.requireNonNull(uri, "uri");
        this.subprotocols = List.copyOf(subprotocols);
        this.factories = List.copyOf(extensions);
        this.config = Objects.requireNonNull(config, "config");
        HttpHeaders extra = extraHeaders == null ? HttpHeaders.empty() : extraHeaders;
        for (int i = 0; i < extra.size(); i++) {
            ReservedHeaders.checkHandshake(extra.name(i));
            if (origin != null && extra.name(i).equalsIgnoreCase("Origin")) {
                throw new IllegalArgumentException("Origin is given twice");
            }
        }
        if (new HashSet<>(this.subprotocols).size() != this.subprotocols.size()) {
            throw new IllegalArgumentException("a subprotocol is offered twice");
        }
        for (String p : this.subprotocols) {
            if (!HttpGrammar.isToken(p)) {
                throw new IllegalArgumentException("subprotocol is not a token: " + p);
            }
        }

        byte[] nonce = new byte[16];
        // A generator per handshake: the platform's default is cheap to make and shares the system's source.
        new SecureRandom().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        this.expectedAccept = AcceptKey.accept(key);

        HttpHeaders.Builder h = HttpHeaders.builder()
                .add("Host", host(uri))
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", key)
                .add("Sec-WebSocket-Version", "13");
        if (origin != null) {
            h.add("Origin", origin);
        }
        if (!this.subprotocols.isEmpty()) {
            h.add("Sec-WebSocket-Protocol", String.join(", ", this.subprotocols));
        }
        List<String> offers = new ArrayList<>();
        for (ExtensionFactory f : this.factories) {
            for (ExtensionOffer o : f.offers()) {
                offers.add(o.toString());
            }
        }
        if (!offers.isEmpty()) {
            h.add("Sec-WebSocket-Extensions", String.join(", ", offers));
        }
        HttpHeaders headers = h.addAll(extra).build();
        this.requestHead = HandshakeRequest.of("GET", target(uri), headers);
        this.request = new HttpHeadWriter("GET " + requestHead.target() + " HTTP/1.1").fields(headers)
                .finish(new byte[0]);
        this.reader = new HeaderBlockReader(config.maxHeaderBytes());
    }

    /** RFC 6455 §3 and §4.1: the Host value, with the port only when it is not the scheme's default. */
    private static String host(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
        }
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("the URI has no host: " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a WebSocket URI must not have a fragment (RFC 6455 §3): " + uri);
        }
        String host = uri.getHost();
        // URI keeps the brackets of an IPv6 literal; add them should a caller's URI lack them.
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = uri.getPort();
        int defaultPort = scheme.equals("ws") ? 80 : 443;
        return port < 0 || port == defaultPort ? host : host + ":" + port;
    }

    private static String target(URI uri) {
        String path = uri.getRawPath();
        String target = path == null || path.isEmpty() ? "/" : path;
        return uri.getRawQuery() == null ? target : target + "?" + uri.getRawQuery();
    }

    /** A fresh view of the request bytes to write. */
    public ByteBuffer request() {
        return request.duplicate();
    }

    /** The request as sent. */
    public HandshakeRequest requestHead() {
        return requestHead;
    }

    /**
     * Consumes bytes of {@code in} up to and including the end of the response's header block; bytes after it
     * stay in {@code in}. Once decided, further calls consume nothing and return the same state.
     */
    public State receive(ByteBuffer in) {
        if (state != State.NEED_MORE) {
            return state;
        }
        try {
            if (readHead(in)) {
                check();
                state = State.OPENED;
            }
        } catch (HandshakeException e) {
            failure = e;
            state = State.FAILED;
        }
        return state;
    }

    /** Reads the header block; the reader's 400 and 431 mean a malformed response here, so status 0. */
    private boolean readHead(ByteBuffer in) throws HandshakeException {
        try {
            if (!reader.read(in)) {
                return false;
            }
            head = HttpHead.parse(reader.bytes(), reader.length(), config.maxHeaderCount());
            return true;
        } catch (HandshakeException e) {
            throw new HandshakeException(0, "malformed response: " + e.getMessage());
        }
    }

    private void check() throws HandshakeException {
        int code = StatusLine.parse(head.bytes(), head.startLineEnd());
        if (code < 0) {
            throw new HandshakeException(0, "malformed status line");
        }
        status = code;
        responseHeaders = head.headers();
        if (code != 101) {
            throw new HandshakeException(code, "the server answered " + head.startLine());
        }
        HttpHeaders h = responseHeaders;
        if (!HttpGrammar.listContains(h.all("Upgrade"), "websocket")) {
            throw new HandshakeException(0, "Upgrade does not name websocket");
        }
        if (!HttpGrammar.listContains(h.all("Connection"), "upgrade")) {
            throw new HandshakeException(0, "Connection does not hold upgrade");
        }
        List<String> accepts = h.all("Sec-WebSocket-Accept");
        if (accepts.size() != 1 || !accepts.get(0).equals(expectedAccept)) {
            throw new HandshakeException(0, "Sec-WebSocket-Accept does not match the key");
        }
        List<String> protocols = h.all("Sec-WebSocket-Protocol");
        if (protocols.size() > 1 || protocols.size() == 1 && !subprotocols.contains(protocols.get(0))) {
            throw new HandshakeException(0, "Sec-WebSocket-Protocol is not one subprotocol we offered");
        }
        NegotiatedExtensions negotiated;
        try {
            negotiated = NegotiatedExtensions.check(factories, h);
        } catch (RuntimeException e) {
            HandshakeException failed = new HandshakeException(0, "an extension factory failed");
            failed.initCause(e);
            throw failed;
        }
        subprotocol = protocols.isEmpty() ? "" : protocols.get(0);
        extensions = negotiated;
    }

    /**
     * Everything the session needs from an opened handshake, with the handler it will report to; start it
     * with {@link Session#client(HandshakeResult)}.
     *
     * @throws IllegalStateException unless the handshake is {@link State#OPENED}
     */
    public HandshakeResult result(WebSocketHandler handler) {
        if (state != State.OPENED) {
            throw new IllegalStateException("the handshake is " + state + ": no session can start from it");
        }
        return new HandshakeResult(requestHead(), subprotocol, extensions.header(), extensions.extensions(), handler);
    }

    /** The status the server answered, 0 before a status line was read. */
    public int status() {
        return status;
    }

    /** The response's header fields, empty before they were read. */
    public HttpHeaders responseHeaders() {
        return responseHeaders;
    }

    /** The subprotocol the server chose, {@code ""} if none. */
    public String subprotocol() {
        return subprotocol;
    }

    /** The extensions the server accepted, in the order of its response header. */
    public List<Extension> extensions() {
        return extensions.extensions();
    }

    /** The {@code Sec-WebSocket-Extensions} value agreed, {@code ""} if none. */
    public String extensionsHeader() {
        return extensions.header();
    }

    /**
     * Why the handshake failed, after {@link State#FAILED}: its status is the one the server answered when it
     * was not 101, else 0 (a malformed or unacceptable response).
     */
    public HandshakeException failure() {
        return failure;
    }
}
