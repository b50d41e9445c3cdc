package io.duplex.core.engine;

import io.duplex.core.BufferProvider;
import io.duplex.core.Extension;
import io.duplex.core.HandshakeException;
import io.duplex.core.HandshakePolicy;
import io.duplex.core.HandshakeRequest;
import io.duplex.core.HttpHeaders;
import io.duplex.core.UpgradeDecision;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.internal.handshake.HeaderBlockReader;
import io.duplex.core.internal.handshake.HttpHead;
import io.duplex.core.internal.handshake.HttpHeadWriter;
import io.duplex.core.internal.handshake.NegotiatedExtensions;
import io.duplex.core.internal.handshake.RequestLine;
import io.duplex.core.internal.handshake.UpgradeChecks;
import io.duplex.core.internal.http.ReservedHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The server side of the opening handshake (RFC 6455 §4.2), sans I/O: feed it the bytes a client sends until
 * it decides, then write {@link #response()}.
 *
 * <p>It reads exactly the request's header block and leaves what follows (frames a client sent right behind
 * its request) in the buffer for the session. Input may be split at any byte. Not thread-safe; one instance
 * per connection.
 *
 * <p>A request with neither an {@code Upgrade} field nor a {@code Connection: upgrade} option is plain HTTP:
 * the state is {@link State#NOT_UPGRADE} and the embedder answers it, for example with
 * {@link #upgradeRequiredResponse()}. Everything else is an upgrade attempt, checked in this order, each
 * failure with its status: request syntax (400; 431 for a header block over
 * {@link WebSocketConfig#maxHeaderBytes()} or more than {@link WebSocketConfig#maxHeaderCount()} fields),
 * method (405 with {@code Allow: GET}), version (505), a body, {@code Host}, {@code Upgrade},
 * {@code Connection}, {@code Sec-WebSocket-Key} (400), {@code Sec-WebSocket-Version} (426 with {@code Sec-WebSocket-Version: 13}),
 * origin (403), the policy's decider (its response; 500 if it throws), then subprotocol and extension
 * negotiation.
 */
public final class ServerHandshake {

    /** Where the handshake stands. */
    public enum State {
        /** The header block is incomplete: feed more bytes. */
        NEED_MORE,
        /** The upgrade is accepted: write the 101 {@link #response()}, then run the session. */
        ACCEPTED,
        /** The request failed or was refused: write the error {@link #response()} and close. */
        REJECTED,
        /** A plain HTTP request: the embedder answers it. */
        NOT_UPGRADE
    }

    private static final String SWITCHING_PROTOCOLS = "Switching Protocols";
    private static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";
    private static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";
    /** The 101's body: none, shared. */
    private static final byte[] NO_BODY = new byte[0];

    private final WebSocketConfig config;
    private final HandshakePolicy policy;
    private final HeaderBlockReader reader;
    private State state = State.NEED_MORE;
    private HandshakeRequest request;
    /** The response, exactly: {@link #response()} wraps it afresh. */
    private byte[] response;
    private int status;
    private WebSocketHandler handler;
    private String subprotocol = "";
    private NegotiatedExtensions extensions = NegotiatedExtensions.none();
    private HandshakeException failure;

    /** A handshake reading with {@code config}'s header limits and deciding by {@code policy}. */
    public ServerHandshake(WebSocketConfig config, HandshakePolicy policy) {
        this(config, policy, BufferProvider.allocating());
    }

    /**
     * A handshake reading with {@code config}'s header limits and deciding by {@code policy}, which borrows
     * the array of a request's header block from {@code buffers} and gives it back once decided (a transport
     * that accepts many connections on one thread passes that thread's {@link BufferProvider#pooled()}).
     */
    public ServerHandshake(WebSocketConfig config, HandshakePolicy policy, BufferProvider buffers) {
        this.config = Objects.requireNonNull(config, "config");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.reader = new HeaderBlockReader(config.maxHeaderBytes(), Objects.requireNonNull(buffers, "buffers"));
    }

    /**
     * Consumes bytes of {@code in} up to and including the end of the header block (CR LF CR LF); bytes after
     * it stay in {@code in}. Once decided, further calls consume nothing and return the same state.
     */
    public State receive(ByteBuffer in) {
        if (state != State.NEED_MORE) {
            return state;
        }
        try {
            if (reader.read(in)) {
                decide();
            }
        } catch (HandshakeException e) {
            reject(e, e.status() == 405 ? HttpHeaders.builder().add("Allow", "GET").build()
                    : e.status() == 426 ? versionHeaders() : HttpHeaders.empty(), e.getMessage());
        }
        if (state != State.NEED_MORE) {
            // Decided: the request keeps its own copy of what it needs, so the block can serve the next one.
            reader.release();
        }
        return state;
    }

    private void decide() throws HandshakeException {
        byte[] block = reader.bytes();
        // The request keeps its fields without the key, which is validated and answered from the block but
        // is of no use once answered.
        HttpHead head = HttpHead.parse(block, reader.length(), config.maxHeaderCount(), UpgradeChecks.KEY);
        RequestLine line = RequestLine.parse(head.bytes(), head.startLineEnd());
        HttpHeaders headers = head.headers();
        request = HandshakeRequest.of(line.method(), line.target(), headers);
        if (!UpgradeChecks.asksForUpgrade(head)) {
            state = State.NOT_UPGRADE;
            return;
        }
        UpgradeChecks.validate(line, head);
        List<String> offered = UpgradeChecks.checkSubprotocols(request.subprotocols());
        UpgradeDecision decision;
        try {
            if (!policy.originPolicy().test(headers.first("Origin"))) {
                throw new HandshakeException(403, "origin not allowed");
            }
            decision = policy.decider().apply(request);
        } catch (RuntimeException e) {
            throw new HandshakeException(500, "the upgrade decider failed");
        }
        if (decision == null) {
            throw new HandshakeException(500, "the upgrade decider returned no decision");
        }
        if (!decision.accepted()) {
            failure = new HandshakeException(decision.status(), "upgrade refused by the application");
            reject(failure, decision.headers(), decision.body());
            return;
        }
        String chosen = decision.subprotocol() != null ? decision.subprotocol() : policy.chooseSubprotocol(offered);
        if (chosen != null && !offered.contains(chosen)) {
            throw new HandshakeException(500, "the application chose a subprotocol the client did not offer");
        }
        NegotiatedExtensions negotiated;
        try {
            negotiated = NegotiatedExtensions.negotiate(policy.extensions(), headers);
        } catch (RuntimeException e) {
            throw new HandshakeException(500, "an extension factory failed");
        }
        String extensionsHeader = negotiated.header();
        // Sized exactly, so the 101 is one array that is all response.
        int length = HttpHeadWriter.statusLineLength(SWITCHING_PROTOCOLS)
                + HttpHeadWriter.fieldLength("Upgrade", "websocket")
                + HttpHeadWriter.fieldLength("Connection", "Upgrade")
                + HttpHeadWriter.acceptFieldLength()
                + (chosen == null ? 0 : HttpHeadWriter.fieldLength(SEC_WEBSOCKET_PROTOCOL, chosen))
                + (extensionsHeader.isEmpty() ? 0 : HttpHeadWriter.fieldLength(SEC_WEBSOCKET_EXTENSIONS, extensionsHeader))
                + HttpHeadWriter.fieldsLength(decision.headers()) + HttpHeadWriter.endLength();
        HttpHeadWriter out = HttpHeadWriter.response(101, SWITCHING_PROTOCOLS, length)
                .field("Upgrade", "websocket")
                .field("Connection", "Upgrade")
                .acceptField(head.bytes(), head.omittedValueStart(), head.omittedValueEnd());
        if (chosen != null) {
            out.field(SEC_WEBSOCKET_PROTOCOL, chosen);
        }
        if (!extensionsHeader.isEmpty()) {
            out.field(SEC_WEBSOCKET_EXTENSIONS, extensionsHeader);
        }
        response = out.fields(decision.headers()).finishArray(NO_BODY);
        status = 101;
        handler = decision.handler();
        subprotocol = chosen == null ? "" : chosen;
        extensions = negotiated;
        state = State.ACCEPTED;
    }

    private void reject(HandshakeException cause, HttpHeaders extra, String body) {
        failure = cause;
        status = cause.status();
        response = errorHead(status, extra, body.getBytes(StandardCharsets.UTF_8));
        state = State.REJECTED;
    }

    private static HttpHeaders versionHeaders() {
        return HttpHeaders.builder().add("Sec-WebSocket-Version", "13").add("Upgrade", "websocket").build();
    }

    /** An error response that closes the connection after its body (RFC 9112 §9.6). */
    private static ByteBuffer errorResponse(int status, HttpHeaders extra, byte[] body) {
        return ByteBuffer.wrap(errorHead(status, extra, body));
    }

    /** {@link #errorResponse} as an exact array. */
    private static byte[] errorHead(int status, HttpHeaders extra, byte[] body) {
        HttpHeadWriter out = HttpHeadWriter.response(status, HttpHeadWriter.reason(status)).fields(extra);
        if (body.length > 0 && !extra.contains("Content-Type")) {
            out.field("Content-Type", "text/plain; charset=utf-8");
        }
        // RFC 9110 §7.8: a sender of Upgrade also sends the upgrade connection option.
        out.field("Content-Length", Integer.toString(body.length))
                .field("Connection", extra.contains("Upgrade") ? "Upgrade, close" : "close");
        return out.finishArray(body);
    }

    /**
     * The request; after {@link State#ACCEPTED} and {@link State#NOT_UPGRADE}, and after a rejection when the
     * request line parsed. Its headers lack {@code Sec-WebSocket-Key} (see {@link HandshakeRequest#headers()}).
     */
    public HandshakeRequest request() {
        return request;
    }

    /** A fresh view of the bytes to write: the 101 after {@link State#ACCEPTED}, the error response after {@link State#REJECTED}; else {@code null}. */
    public ByteBuffer response() {
        return response == null ? null : ByteBuffer.wrap(response);
    }

    /** 101 once accepted, the error status once rejected, else 0. */
    public int status() {
        return status;
    }

    /**
     * Everything the session needs from an accepted handshake; start it with {@link Session#server(HandshakeResult)}.
     *
     * @throws IllegalStateException unless the handshake is {@link State#ACCEPTED}
     */
    public HandshakeResult result() {
        if (state != State.ACCEPTED) {
            throw new IllegalStateException("the handshake is " + state + ": no session can start from it");
        }
        return new HandshakeResult(request, subprotocol, extensions.header(), extensions.extensions(), handler);
    }

    /** The handler chosen by the policy's decider, after {@link State#ACCEPTED}. */
    public WebSocketHandler handler() {
        return handler;
    }

    /** The negotiated subprotocol, {@code ""} if none. */
    public String subprotocol() {
        return subprotocol;
    }

    /** The accepted extensions, in the order of the response header. */
    public List<Extension> extensions() {
        return extensions.extensions();
    }

    /** The {@code Sec-WebSocket-Extensions} value sent, {@code ""} if none. */
    public String extensionsHeader() {
        return extensions.header();
    }

    /** Why the handshake was rejected, after {@link State#REJECTED}. */
    public HandshakeException failure() {
        return failure;
    }

    /**
     * The answer to a plain HTTP request the embedder does not serve: 426 Upgrade Required with
     * {@code Sec-WebSocket-Version: 13} and {@code Upgrade: websocket} (RFC 9110 §15.5.22), closing the
     * connection.
     */
    public static ByteBuffer upgradeRequiredResponse() {
        return errorResponse(426, versionHeaders(), "This service requires a WebSocket upgrade.\n"
                .getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A complete HTTP/1.1 response for embedders answering plain requests: the status line, {@code headers},
     * {@code Content-Length} and {@code body}.
     *
     * @throws IllegalArgumentException if {@code headers} holds {@code Content-Length} or
     *     {@code Transfer-Encoding}, or {@code reason} a control character
     */
    public static ByteBuffer httpResponse(int status, String reason, HttpHeaders headers, byte[] body) {
        for (int i = 0; i < headers.size(); i++) {
            ReservedHeaders.checkFraming(headers.name(i));
        }
        return HttpHeadWriter.response(status, reason).fields(headers)
                .field("Content-Length", Integer.toString(body.length)).finish(body);
    }
}
