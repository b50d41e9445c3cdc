package io.duplex.core;

import io.duplex.core.internal.http.HttpGrammar;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A server's rules for accepting opening handshakes: who decides (and with which handler), which origins,
 * subprotocols and extensions it accepts. Immutable and thread-safe when its functions are; build one with
 * {@link #builder()}.
 */
public final class HandshakePolicy {

    private final Function<HandshakeRequest, UpgradeDecision> decider;
    private final List<String> subprotocols;
    private final Predicate<String> originPolicy;
    private final List<ExtensionFactory> extensions;

    private HandshakePolicy(Builder b) {
        this.decider = b.decider;
        this.subprotocols = b.subprotocols;
        this.originPolicy = b.originPolicy;
        this.extensions = b.extensions;
    }

    /** A builder with no subprotocols, no extensions, every origin allowed and no decider yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** Decides each valid request: accept with a handler, or reject. */
    public Function<HandshakeRequest, UpgradeDecision> decider() {
        return decider;
    }

    /** The subprotocols the server supports. */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** Tests the {@code Origin} header value ({@code null} when absent). */
    public Predicate<String> originPolicy() {
        return originPolicy;
    }

    /** The extensions the server supports. */
    public List<ExtensionFactory> extensions() {
        return extensions;
    }

    /**
     * The subprotocol to answer: the first of the server's {@link #subprotocols()}, in the server's order of
     * preference, that the client offered; {@code null} when the client offered none the server supports (the
     * response then carries no {@code Sec-WebSocket-Protocol}). RFC 6455 §4.2.2 leaves the choice to the server;
     * its own order decides, so a server can prefer its newest protocol whatever order clients list them in. A
     * server that wants the client's order can pick in the decider with {@link UpgradeDecision#withSubprotocol}.
     */
    public String chooseSubprotocol(List<String> offered) {
        if (offered.isEmpty()) {
            // Spares the iterator on every handshake that offers none.
            return null;
        }
        for (String p : subprotocols) {
            if (offered.contains(p)) {
                return p;
            }
        }
        return null;
    }

    /** Builds a {@link HandshakePolicy}. Not thread-safe. */
    public static final class Builder {
        private Function<HandshakeRequest, UpgradeDecision> decider;
        private List<String> subprotocols = List.of();
        private Predicate<String> originPolicy = origin -> true;
        private List<ExtensionFactory> extensions = List.of();

        private Builder() {
        }

        /** Accepts every valid request with {@code handler}: shorthand for a decider that always accepts. */
        public Builder handler(WebSocketHandler handler) {
            UpgradeDecision accept = UpgradeDecision.accept(handler);
            return decider(request -> accept);
        }

        /**
         * Decides each valid request (authentication, routing by path ...). A decider that throws makes the
         * handshake fail with 500. The request's headers lack the already validated {@code Sec-WebSocket-Key}
         * (see {@link HandshakeRequest#headers()}).
         */
        public Builder decider(Function<HandshakeRequest, UpgradeDecision> decider) {
            this.decider = Objects.requireNonNull(decider, "decider");
            return this;
        }

        /**
         * The subprotocols the server supports, most preferred first; see {@link HandshakePolicy#chooseSubprotocol}
         * for the choice.
         */
        public Builder subprotocols(List<String> subprotocols) {
            for (String p : subprotocols) {
                if (!HttpGrammar.isToken(p)) {
                    throw new IllegalArgumentException("subprotocol is not a token: " + p);
                }
            }
            this.subprotocols = List.copyOf(subprotocols);
            return this;
        }

        /** Tests the {@code Origin} value (or {@code null} when absent); {@code false} answers 403. */
        public Builder originPolicy(Predicate<String> originPolicy) {
            this.originPolicy = Objects.requireNonNull(originPolicy, "originPolicy");
            return this;
        }

        /**
         * The extensions the server supports. When a client offers several, they are accepted in the client's
         * order of first mention; one whose RSV bits an earlier accepted extension already claims is declined.
         */
        public Builder extensions(List<ExtensionFactory> extensions) {
            this.extensions = List.copyOf(extensions);
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalStateException if neither {@link #handler} nor {@link #decider} was set
         */
        public HandshakePolicy build() {
            if (decider == null) {
                throw new IllegalStateException("a handler or a decider is required");
            }
            return new HandshakePolicy(this);
        }
    }
}
