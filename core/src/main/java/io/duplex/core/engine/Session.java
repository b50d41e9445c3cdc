package io.duplex.core.engine;

import io.duplex.core.BufferProvider;
import io.duplex.core.Extension;
import io.duplex.core.HandshakeRequest;
import io.duplex.core.HttpHeaders;
import io.duplex.core.MaskKeySource;
import io.duplex.core.Transport;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketException;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.internal.frame.FrameDecoder;
import io.duplex.core.internal.frame.FrameListener;
import io.duplex.core.internal.frame.Opcode;
import io.duplex.core.internal.session.BufferHandoff;
import io.duplex.core.internal.session.ExtensionChain;
import io.duplex.core.internal.session.FrameWriter;
import io.duplex.core.internal.session.MessageAssembler;
import io.duplex.core.internal.session.MessageSender;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A sans-I/O WebSocket endpoint after the opening handshake: feed it the bytes received from the peer with
 * {@link #receive}; it calls the {@link WebSocketHandler} and writes frames to the {@link Transport}.
 *
 * <p>A session owns no socket, thread or clock. Time enters through explicit calls: the transport reports
 * the end of TCP with {@link #transportClosed} and an expired close timeout with {@link #closeTimeoutExpired}.
 * A session is not thread-safe: drive it, and call its send methods, from one thread at a time.
 *
 * <p>The close handshake (RFC 6455 §7): a received Close is answered with a Close echoing its code; after
 * the exchange a server closes TCP at once ({@link Transport#closeTransport()}) while a client waits for the
 * server to do so, until the transport's close timeout. Nothing is sent after our Close. A peer that breaks
 * the protocol gets a Close with the RFC's code (1002, 1007, 1009) and the connection is closed.
 *
 * <p>Create one from the opening handshake's outcome with {@link #server(HandshakeResult)} or
 * {@link #client(HandshakeResult)}; {@link #server()} and {@link #client()} start one with no handshake behind it
 * (no subprotocol, no extension), for tests and for protocols that agree on nothing.
 */
public final class Session extends CloseHandshake implements WebSocket {

    /**
     * Where a session is in the life of its connection. The states are those of RFC 6455: the opening
     * handshake is complete but the session not yet opened (§4), open (§4.1, §4.2.2: "the WebSocket connection
     * is established"), the closing handshake started by us (§7.1.2), and closed (§7.1.4).
     */
    public enum State {
        /** The handshake is done but {@link #open()} has not run: nothing may be sent yet. */
        CONNECTING,
        /** Data and control frames flow both ways. */
        OPEN,
        /** We sent a Close (§7.1.2) and wait for the peer's: no data goes out any more, frames still come in. */
        CLOSING,
        /** {@link WebSocketHandler#onClose} was reported: nothing more is sent or delivered. */
        CLOSED
    }

    private final WebSocketHandler handler;
    private final Transport out;
    private final WebSocket facade;
    private final HandshakeRequest request;
    /** What the handshake negotiated; the shared {@link Agreement#NONE} when nothing was. */
    private final Agreement agreed;
    private final WebSocketConfig config;
    /** Lends the buffers frames are built in and messages assembled in: the builder's, by default none kept. */
    private final BufferProvider buffers;
    /** A client's masking keys as the builder gave them, or null: a client then makes its own with its first frame. */
    private final MaskKeySource maskKeys;
    /** The negotiated extensions and their rules, on both paths; null when none was negotiated. */
    private final ExtensionChain chain;
    /*
     * The receive pipeline (frame decoder -> extension chain -> assembler -> handler) is built with the first
     * bytes received, and the sender with the first frame sent: a server holds thousands of sessions that
     * mostly sit idle, and these are a good part of what each would otherwise keep.
     */
    private FrameDecoder decoder;
    /** During one {@link #receive}: a Pong was delivered, and anything else. */
    private boolean receivedPong;
    private boolean receivedOther;
    private MessageSender sender;
    /** Where a received message's buffer passes from the assembler to the sender; made with either. */
    private BufferHandoff handoff;

    /** The client side: expects unmasked frames and masks what it sends. */
    private final boolean client;
    private Object attachment;

    private Session(Builder b) {
        this.client = b.client;
        this.handler = Objects.requireNonNull(b.handler, "handler");
        this.out = Objects.requireNonNull(b.outbound, "outbound");
        this.facade = b.facade == null ? this : b.facade;
        this.request = b.request == null ? HandshakeRequest.of("GET", "/", HttpHeaders.empty()) : b.request;
        this.agreed = Agreement.of(b.subprotocol, b.extensionsHeader);
        this.config = b.config;
        this.buffers = b.buffers;
        this.maskKeys = b.maskKeys;
        this.chain = ExtensionChain.of(b.extensions, b.buffers);
    }

    /** The subprotocol and extensions header of the handshake, grouped so a connection without either keeps one reference. */
    private record Agreement(String subprotocol, String extensionsHeader) {
        static final Agreement NONE = new Agreement("", "");

        static Agreement of(String subprotocol, String extensionsHeader) {
            return subprotocol.isEmpty() && extensionsHeader.isEmpty() ? NONE
                    : new Agreement(subprotocol, extensionsHeader);
        }
    }

    /** The receive pipeline's first stage; data flows from it to the handler and never back. */
    private FrameDecoder decoder() {
        if (decoder == null) {
            MessageAssembler assembler = new MessageAssembler(config, new HandlerCalls(this), buffers, handoff());
            FrameListener frames = chain == null ? assembler : chain.decodingInto(assembler, config.maxMessageSize());
            decoder = new FrameDecoder(!client, config.maxFrameSize(), chain == null ? 0 : chain.rsvBits(), frames);
        }
        return decoder;
    }

    /** Whether the receive pipeline exists now: what an idle session holds, for tests. */
    boolean holdsReceivePipeline() {
        return decoder != null;
    }

    /** Whether the send side exists now: what an idle session holds, for tests. */
    boolean holdsSendSide() {
        return sender != null;
    }

    private MessageSender sender() {
        if (sender == null) {
            MaskKeySource keys = !client ? null : maskKeys != null ? maskKeys : MaskKeySource.of(new SecureRandom());
            sender = new MessageSender(new FrameWriter(out, keys, buffers, config.outboundFragmentSize()), chain,
                    handoff());
        }
        return sender;
    }

    private BufferHandoff handoff() {
        if (handoff == null) {
            handoff = new BufferHandoff(buffers);
        }
        return handoff;
    }

    /** Stops decoding; a decoder not yet created has nothing to stop, and nothing is decoded from now on. */
    @Override
    void stopDecoding() {
        if (decoder != null) {
            decoder.stop();
        }
    }

    /**
     * A builder for the server side of a connection whose handshake {@code agreed} (from
     * {@link ServerHandshake#result()}): its request, subprotocol, extensions and handler are set; add the
     * outbound side (and the config) and build.
     */
    public static Builder server(HandshakeResult agreed) {
        return new Builder(false).handshake(agreed);
    }

    /**
     * A builder for the client side of a connection whose handshake {@code agreed} (from
     * {@link ClientHandshake#result(WebSocketHandler)}).
     */
    public static Builder client(HandshakeResult agreed) {
        return new Builder(true).handshake(agreed);
    }

    /**
     * A builder for the server side of a connection with no handshake behind it: no subprotocol and no
     * extension; set the handler yourself. Expects masked frames, sends unmasked ones.
     */
    public static Builder server() {
        return new Builder(false);
    }

    /** Like {@link #server()}, for the client side: expects unmasked frames, masks what it sends. */
    public static Builder client() {
        return new Builder(true);
    }

    /**
     * Processes received bytes: consumes everything between {@code in}'s position and limit, delivering
     * events as whole frames and messages complete. Bytes after the peer's Close frame, or after the
     * connection failed, are discarded.
     */
    public void receive(ByteBuffer in) {
        if (isClosed()) {
            in.position(in.limit());
            return;
        }
        try {
            FrameDecoder d = decoder();
            receivedPong = false;
            receivedOther = false;
            d.decode(in);
            if (receivedPong && !receivedOther && chain == null && decoder == d && d.betweenMessages()) {
                // Bytes that held only Pongs (keepalive answers, on an otherwise idle connection) leave no receive
                // pipeline behind: the next bytes build it again.
                decoder = null;
                if (sender == null) {
                    handoff = null;
                }
            }
        } catch (WebSocketException e) {
            in.position(in.limit());
            failConnection(e.closeCode(), e.getMessage(), e);
        }
    }

    /**
     * The connection has had no data message in or out for {@link #idleReleaseDelay()}: lets the negotiated
     * extensions give back what they hold between messages and can rebuild with the next one. With
     * permessage-deflate and context takeover, each direction returns its zlib codec to the factory's pool and
     * keeps only its history (at most one window, 32 KiB, of uncompressed bytes); its next message primes a
     * pooled codec with it, so nothing changes on the wire. A direction in the middle of a message keeps its
     * codec. A no-op when nothing is held or the session is closed; the transport calls it, from the thread
     * that drives the session, when its own clock says the connection has been idle long enough.
     *
     * @return whether anything was given back
     */
    public boolean releaseIdleMemory() {
        return chain != null && !isClosed() && chain.releaseIdle();
    }

    /**
     * How long this connection should go without a data message before {@link #releaseIdleMemory()} is worth
     * calling (for permessage-deflate, {@code PerMessageDeflate.Builder.idleRelease}); {@link Duration#ZERO}
     * when it never is: no extension, or none that holds anything between messages.
     */
    public Duration idleReleaseDelay() {
        return chain == null ? Duration.ZERO : chain.idleReleaseDelay();
    }

    /**
     * The transport's outbound buffer crossed a watermark: reports
     * {@link WebSocketHandler#onWritabilityChanged}, under the policy every callback follows (a handler that
     * throws gets {@code onError}, then the connection is failed with 1011). Nothing is reported once closed.
     */
    public void writabilityChanged(boolean writable) {
        if (!isClosed()) {
            HandlerCalls.writabilityChanged(this, writable);
        }
    }

    /** The handler this session reports to. */
    @Override
    public WebSocketHandler handler() {
        return handler;
    }

    @Override
    WebSocket facade() {
        return facade;
    }

    @Override
    Transport transport() {
        return out;
    }

    @Override
    boolean isClient() {
        return client;
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        return sendText(text, true, true);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence fragment, boolean last) {
        return sendText(fragment, last, false);
    }

    private CompletableFuture<Void> sendText(CharSequence text, boolean last, boolean whole) {
        Objects.requireNonNull(text, "text");
        if (!mayWriteData(Opcode.TEXT, whole)) {
            return CompletableFuture.failedFuture(refusal());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            sender().text(text, last, whole, done);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return done;
    }

    @Override
    public boolean offerText(CharSequence text) {
        Objects.requireNonNull(text, "text");
        if (!mayWriteData(Opcode.TEXT, true)) {
            return false;
        }
        sender().text(text, true, true, null);
        return true;
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return sendBinary(data, true, true);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer fragment, boolean last) {
        return sendBinary(fragment, last, false);
    }

    private CompletableFuture<Void> sendBinary(ByteBuffer data, boolean last, boolean whole) {
        Objects.requireNonNull(data, "data");
        if (!mayWriteData(Opcode.BINARY, whole)) {
            return CompletableFuture.failedFuture(refusal());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        sender().binary(data, last, whole, done);
        return done;
    }

    @Override
    public boolean offerBinary(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (!mayWriteData(Opcode.BINARY, true)) {
            return false;
        }
        sender().binary(data, true, true, null);
        return true;
    }

    /**
     * Whether a data frame of this type may be sent now: the connection is open (§5.5.1: no data after our
     * Close), and the sender admits it. Allocates nothing once the sender exists, so a refused offer costs
     * nothing.
     */
    private boolean mayWriteData(int opcode, boolean whole) {
        return isOpen() && sender().admits(opcode, whole);
    }

    /** Why {@link #mayWriteData} refused, for the failed future of a send. */
    private IllegalStateException refusal() {
        if (!isOpen()) {
            return new IllegalStateException(state() == State.CONNECTING ? "the WebSocket is not open"
                    : "the WebSocket is closing or closed: no data may be sent");
        }
        return new IllegalStateException(sender().refusal());
    }

    @Override
    public CompletableFuture<Void> sendPing(ByteBuffer payload) {
        return sendControl(Opcode.PING, payload);
    }

    @Override
    public CompletableFuture<Void> sendPong(ByteBuffer payload) {
        return sendControl(Opcode.PONG, payload);
    }

    private CompletableFuture<Void> sendControl(int opcode, ByteBuffer payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload.remaining() > 125) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("control frame payload over 125 bytes: " + payload.remaining()));
        }
        if (!isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException(state() == State.CONNECTING
                    ? "the WebSocket is not open" : "the WebSocket is closing or closed"));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean sentNothingYet = sender == null;
        sender().control(opcode, payload, done);
        if (sentNothingYet && !client) {
            // A server's keepalive Ping on a connection that sends nothing else leaves no send side behind. (A
            // client keeps it: remaking it could mean seeding a new source of masking keys.)
            sender = null;
            if (decoder == null) {
                handoff = null;
            }
        }
        return done;
    }

    /**
     * Whether a data message sent in parts ({@code sendText(text, false)}, {@code sendBinary(data, false)}) is
     * unfinished. Until its last part no other data frame may go out (RFC 6455 §5.4), so a transport that writes
     * frames it encoded itself, a broadcast for instance, holds them back meanwhile.
     */
    public boolean isSendingMessageInParts() {
        return sender != null && sender.inMessage();
    }

    @Override
    public long bufferedAmount() {
        return out.bufferedAmount();
    }

    @Override
    public void pauseReading() {
        out.pauseReading();
    }

    @Override
    public void resumeReading() {
        out.resumeReading();
    }

    @Override
    public String subprotocol() {
        return agreed.subprotocol();
    }

    @Override
    public String extensions() {
        return agreed.extensionsHeader();
    }

    @Override
    public HandshakeRequest handshakeRequest() {
        return request;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return out.remoteAddress();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public String toString() {
        return (client ? "client" : "server") + " session " + request.target() + " "
                + state().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    void writeClose(ByteBuffer payload, CompletableFuture<Void> done) {
        sender().control(Opcode.CLOSE, payload, done);
    }

    @Override
    void releaseExtensions() {
        if (chain != null) {
            chain.release(error -> HandlerCalls.error(this, error));
        }
    }

    /** The receive pipeline delivered a Pong, or something else, to the handler. */
    void delivered(boolean pong) {
        if (pong) {
            receivedPong = true;
        } else {
            receivedOther = true;
        }
    }

    /** §5.5.2: a received Ping is answered with a Pong, unless our Close already went out (§5.5.1). */
    void answerPing(ByteBuffer payload) {
        if (isOpen()) {
            sender().autoPong(payload);
        }
    }

    /** Builds a {@link Session}. */
    public static final class Builder {
        final boolean client;
        WebSocketConfig config = WebSocketConfig.defaults();
        WebSocketHandler handler;
        Transport outbound;
        HandshakeRequest request;
        String subprotocol = "";
        String extensionsHeader = "";
        List<Extension> extensions = List.of();
        WebSocket facade;
        BufferProvider buffers = BufferProvider.allocating();
        MaskKeySource maskKeys;

        private Builder(boolean client) {
            this.client = client;
        }

        /** Limits and options; default {@link WebSocketConfig#defaults()}. */
        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /** The handler events go to; required, and set already by a {@link HandshakeResult}. */
        public Builder handler(WebSocketHandler handler) {
            this.handler = Objects.requireNonNull(handler);
            return this;
        }

        /** Where outbound bytes go. Required. */
        public Builder outbound(Transport outbound) {
            this.outbound = Objects.requireNonNull(outbound);
            return this;
        }

        private Builder handshake(HandshakeResult agreed) {
            this.request = agreed.request();
            this.subprotocol = agreed.subprotocol();
            this.extensionsHeader = agreed.extensionsHeader();
            this.extensions = agreed.extensions();
            this.handler = agreed.handler();
            return this;
        }

        /** Extensions with no handshake behind them, for the core's own tests. */
        Builder extensions(List<Extension> extensions) {
            this.extensions = List.copyOf(extensions);
            return this;
        }

        /**
         * The {@link WebSocket} handler callbacks receive; default the session itself. A transport that makes
         * sends thread-safe passes its own wrapper here.
         */
        public Builder facade(WebSocket facade) {
            this.facade = Objects.requireNonNull(facade);
            return this;
        }

        /**
         * Where the session borrows the buffers it needs for a while (see {@link BufferProvider}); default
         * {@link BufferProvider#allocating()}, which keeps nothing. A transport that drives many sessions on
         * one thread passes that thread's {@link BufferProvider#pooled()} pool, so that sending and
         * receiving allocate nothing in steady state.
         */
        public Builder buffers(BufferProvider buffers) {
            this.buffers = Objects.requireNonNull(buffers);
            return this;
        }

        /**
         * Where a client session draws its masking keys; ignored on a server, which does not mask. Default: a
         * source of the session's own over a new {@link SecureRandom}, made with its first frame. A transport
         * that drives many client sessions on one thread passes that thread's {@link MaskKeySource#secure()}.
         */
        public Builder maskKeys(MaskKeySource maskKeys) {
            this.maskKeys = Objects.requireNonNull(maskKeys);
            return this;
        }

        /** The session. */
        public Session build() {
            return new Session(this);
        }
    }
}
