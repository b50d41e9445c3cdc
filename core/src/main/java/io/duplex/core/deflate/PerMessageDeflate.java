package io.duplex.core.deflate;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionFactory;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakeException;
import io.duplex.core.internal.extension.deflate.DeflateNegotiation;
import io.duplex.core.internal.extension.deflate.DeflateSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code permessage-deflate} extension (RFC 7692): compresses the payload of data messages with DEFLATE.
 * Pass one to {@code WebSocketServer.builder().extensions(...)} or
 * {@code WebSocketClient.builder().extensions(...)} (or to the handshakes directly); compression is off unless
 * you do.
 *
 * <pre>{@code
 * PerMessageDeflate deflate = PerMessageDeflate.builder().level(6).threshold(256).build();
 * }</pre>
 *
 * <p>Every negotiation parameter of RFC 7692 §7.1 is honoured in both roles, including window sizes below 15
 * bits for what this endpoint sends, which it compresses with its own DEFLATE encoder (the JDK's
 * {@link java.util.zip.Deflater} always uses a 32 KiB window). The options say what this endpoint <em>asks
 * for</em>; what is used on a connection is what the handshake agreed:
 * <ul>
 * <li>As a <b>client</b>, the builder's settings make the one offer sent: {@code server_no_context_takeover}
 *     and {@code client_no_context_takeover} when set, {@code server_max_window_bits=n} when below 15, and
 *     always {@code client_max_window_bits} (with the value when below 15), since any size the server picks
 *     can be honoured. A response that breaks the offer fails the connection, as §7.1 requires.</li>
 * <li>As a <b>server</b>, the client's offers are tried in the client's order; an offer with an unknown
 *     parameter or an invalid value is declined and the next one tried. The response takes, for each window,
 *     the smaller of the client's request and this side's setting, and adds the no-context-takeover
 *     parameters the client asked for or this side sets.</li>
 * </ul>
 *
 * <p><b>Memory per connection</b>, per direction, while the direction holds its codec: receiving uses one
 * {@link java.util.zip.Inflater}, about 40 KiB of native memory (zlib's state and its 32 KiB window);
 * sending with a 15-bit window uses one {@link java.util.zip.Deflater}, about 262 KiB native at any level;
 * sending with a smaller window uses Duplex's own encoder on the Java heap: about 35 KiB at 8 bits, 40 KiB at
 * 10, 64 KiB at 12, 176 KiB at 14. With context takeover (the default) a direction takes its codec on its
 * first compressed message and holds it while messages flow: that buys much better ratios on similar
 * messages. Once the connection has had no data message for {@link Builder#idleRelease} (default 5 s), the
 * transport gives both codecs back to this factory's pool and the connection keeps only each direction's
 * history: the last window of uncompressed bytes, at most 32 KiB each way (less when less was sent or
 * received, or when the window is smaller). The next message borrows a codec and loads that history into it as
 * a dictionary, which costs one dictionary load per direction per wake-up; the stream continues where it
 * was, at the same ratio. While messages flow, each
 * compressed message's plaintext is also copied into its direction's history. Without context takeover ({@code server_no_context_takeover} for what a server sends,
 * {@code client_no_context_takeover} for what a client sends) a codec is borrowed from this factory's pool
 * for one message only, so an idle connection holds nothing; the pool keeps at most {@link Builder#poolSize}
 * idle codecs of each kind. The cheapest server setting is therefore
 * {@code serverNoContextTakeover(true).clientNoContextTakeover(true)}.
 *
 * <p><b>Security:</b> compressing a secret together with data an attacker can influence, in one message or,
 * with context takeover, across messages, lets the attacker learn the secret by watching compressed sizes
 * (the CRIME and BREACH attacks on TLS). No-context-takeover closes the path across messages but not within
 * one. Keep secrets (tokens, session ids) and attacker-controlled text out of the same compressed stream: use a
 * connection without this extension for them, or no-context-takeover and never mix them in one message.
 *
 * <p>The settings are immutable; the instance is thread-safe and serves every connection, sharing among
 * them a bounded pool of idle codecs. The pool is this instance's own (a short lock guards it), so two
 * instances share nothing, and it goes away with the instance.
 */
public final class PerMessageDeflate implements ExtensionFactory {

    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final int serverMaxWindowBits;
    private final int clientMaxWindowBits;
    private final int level;
    private final int threshold;
    private final boolean acceptServerMaxWindowBits;
    private final boolean acceptServerNoContextTakeover;
    private final int poolSize;
    private final Duration idleRelease;
    private final DeflateNegotiation negotiation;

    private PerMessageDeflate(Builder b) {
        this.serverNoContextTakeover = b.serverNoContextTakeover;
        this.clientNoContextTakeover = b.clientNoContextTakeover;
        this.serverMaxWindowBits = b.serverMaxWindowBits;
        this.clientMaxWindowBits = b.clientMaxWindowBits;
        this.level = b.level;
        this.threshold = b.threshold;
        this.acceptServerMaxWindowBits = b.acceptServerMaxWindowBits;
        this.acceptServerNoContextTakeover = b.acceptServerNoContextTakeover;
        this.poolSize = b.poolSize;
        this.idleRelease = b.idleRelease;
        this.negotiation = new DeflateNegotiation(new DeflateSettings(serverNoContextTakeover,
                clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits, level, threshold,
                acceptServerMaxWindowBits, acceptServerNoContextTakeover, poolSize, idleRelease));
    }

    /** A builder with the defaults documented on each of its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /** permessage-deflate with every default: context takeover both ways, 15-bit windows, level 6, threshold 256. */
    public static PerMessageDeflate defaults() {
        return builder().build();
    }

    /** See {@link Builder#serverNoContextTakeover}. */
    public boolean serverNoContextTakeover() {
        return serverNoContextTakeover;
    }

    /** See {@link Builder#clientNoContextTakeover}. */
    public boolean clientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    /** See {@link Builder#serverMaxWindowBits}. */
    public int serverMaxWindowBits() {
        return serverMaxWindowBits;
    }

    /** See {@link Builder#clientMaxWindowBits}. */
    public int clientMaxWindowBits() {
        return clientMaxWindowBits;
    }

    /** See {@link Builder#level}. */
    public int level() {
        return level;
    }

    /** See {@link Builder#threshold}. */
    public int threshold() {
        return threshold;
    }

    /** See {@link Builder#acceptServerMaxWindowBits}. */
    public boolean acceptServerMaxWindowBits() {
        return acceptServerMaxWindowBits;
    }

    /** See {@link Builder#acceptServerNoContextTakeover}. */
    public boolean acceptServerNoContextTakeover() {
        return acceptServerNoContextTakeover;
    }

    /** See {@link Builder#poolSize}. */
    public int poolSize() {
        return poolSize;
    }

    /** See {@link Builder#idleRelease}. */
    public Duration idleRelease() {
        return idleRelease;
    }

    @Override
    public String name() {
        return "permessage-deflate";
    }

    @Override
    public Extension accept(List<ExtensionOffer> offers) {
        return negotiation.accept(offers);
    }

    @Override
    public List<ExtensionOffer> offers() {
        return negotiation.offers();
    }

    @Override
    public Extension accepted(ExtensionOffer response) throws HandshakeException {
        return negotiation.accepted(response);
    }

    @Override
    public String toString() {
        return "PerMessageDeflate{serverNoContextTakeover=" + serverNoContextTakeover
                + ", clientNoContextTakeover=" + clientNoContextTakeover
                + ", serverMaxWindowBits=" + serverMaxWindowBits + ", clientMaxWindowBits=" + clientMaxWindowBits
                + ", level=" + level + ", threshold=" + threshold
                + ", acceptServerMaxWindowBits=" + acceptServerMaxWindowBits
                + ", acceptServerNoContextTakeover=" + acceptServerNoContextTakeover + ", poolSize=" + poolSize
                + ", idleRelease=" + idleRelease + "}";
    }

    /** Configures a {@link PerMessageDeflate}. */
    public static final class Builder {
        private boolean serverNoContextTakeover;
        private boolean clientNoContextTakeover;
        private int serverMaxWindowBits = 15;
        private int clientMaxWindowBits = 15;
        private int level = 6;
        private int threshold = 256;
        private boolean acceptServerMaxWindowBits = true;
        private boolean acceptServerNoContextTakeover = true;
        private int poolSize = 2 * Runtime.getRuntime().availableProcessors();
        private Duration idleRelease = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * Whether the server compresses each message on its own, forgetting earlier ones
         * ({@code server_no_context_takeover}). As a server: always send without context takeover, so an idle
         * connection holds no compressor (one is borrowed per message) and secrets cannot leak across messages;
         * ratios on similar small messages drop. As a client: ask the server for it. Default false.
         */
        public Builder serverNoContextTakeover(boolean value) {
            this.serverNoContextTakeover = value;
            return this;
        }

        /**
         * Whether the client compresses each message on its own ({@code client_no_context_takeover}). As a
         * server: require it of clients, so an idle connection holds no decompressor. As a client: promise it
         * in the offer, and keep the promise even if the server does not echo it. Default false.
         */
        public Builder clientNoContextTakeover(boolean value) {
            this.clientNoContextTakeover = value;
            return this;
        }

        /**
         * The largest LZ77 window, as a base-2 logarithm 8..15, the server compresses with
         * ({@code server_max_window_bits}). As a server: a cap on its own window (clients may ask for less).
         * As a client: below 15, asked of the server. Default 15.
         */
        public Builder serverMaxWindowBits(int bits) {
            this.serverMaxWindowBits = windowBits(bits);
            return this;
        }

        /**
         * The largest LZ77 window, 8..15, the client compresses with ({@code client_max_window_bits}). As a
         * server: below 15, asked of clients that offer the parameter (a client that does not offer it may use
         * 15 bits, which this side always inflates). As a client: a cap on its own window, offered as the
         * parameter's value when below 15. Default 15.
         */
        public Builder clientMaxWindowBits(int bits) {
            this.clientMaxWindowBits = windowBits(bits);
            return this;
        }

        /** The compression level, 1 (fastest) .. 9 (smallest), as for {@link java.util.zip.Deflater}. Default 6. */
        public Builder level(int level) {
            if (level < 1 || level > 9) {
                throw new IllegalArgumentException("level must be 1..9: " + level);
            }
            this.level = level;
            return this;
        }

        /**
         * Messages shorter than this many bytes (UTF-8 bytes for text) are sent uncompressed, where DEFLATE's
         * overhead outweighs its gain; 0 compresses everything. A message sent in parts of unknown total
         * length is always compressed. Default 256.
         */
        public Builder threshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("threshold must not be negative: " + bytes);
            }
            this.threshold = bytes;
            return this;
        }

        /**
         * Server only: whether to accept a client's offer that asks for {@code server_max_window_bits} below 15
         * (honoured with Duplex's own encoder). When false such offers are declined. Default true.
         */
        public Builder acceptServerMaxWindowBits(boolean value) {
            this.acceptServerMaxWindowBits = value;
            return this;
        }

        /**
         * Server only: whether to accept a client's offer that asks for {@code server_no_context_takeover}.
         * When false such offers are declined. Default true.
         */
        public Builder acceptServerNoContextTakeover(boolean value) {
            this.acceptServerNoContextTakeover = value;
            return this;
        }

        /**
         * How many idle codecs of each kind (compressor per window size, decompressor) this factory keeps for
         * reuse. A direction without context takeover borrows a codec for one message and gives it back, so
         * idle connections hold none; codecs of closed connections come back here too. Codecs given back
         * beyond this number are ended at once; 0 ends every codec after use. Default twice the number of
         * processors.
         */
        public Builder poolSize(int codecs) {
            if (codecs < 0) {
                throw new IllegalArgumentException("poolSize must not be negative: " + codecs);
            }
            this.poolSize = codecs;
            return this;
        }

        /**
         * How long a connection with context takeover (in either direction) may go without a data message
         * before its codecs go back to this factory's pool, keeping only each direction's history (at most
         * one window of uncompressed bytes, 32 KiB each way at 15 bits): an idle connection then holds a few
         * KiB of heap instead of about 300 KiB of native zlib memory. The next message borrows a codec and
         * loads the history into it, one dictionary load per direction per wake-up; the compressed bytes
         * stay as good. Pick it longer than the usual gap between a connection's messages;
         * {@link Duration#ZERO} keeps the codecs for the connection's life. The NIO transport checks idleness
         * in its loops' sweep, up to an eighth of this (at most a second) late; an embedder driving a
         * {@code Session} itself calls {@code Session.releaseIdleMemory()}. Default 5 s.
         */
        public Builder idleRelease(Duration after) {
            Objects.requireNonNull(after, "after");
            if (after.isNegative()) {
                throw new IllegalArgumentException("idleRelease must not be negative: " + after);
            }
            this.idleRelease = after;
            return this;
        }

        /** The immutable extension factory. */
        public PerMessageDeflate build() {
            return new PerMessageDeflate(this);
        }

        private static int windowBits(int bits) {
            if (bits < 8 || bits > 15) {
                throw new IllegalArgumentException("window bits must be 8..15: " + bits);
            }
            return bits;
        }
    }
}
