package io.duplex.nio.internal.tls;

import java.nio.ByteBuffer;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Sans-I/O TLS for one connection: network bytes in, application bytes out; application bytes in, network
 * bytes out. It sits between a socket and a WebSocket session, owns no socket and no thread, and is not
 * thread-safe: drive it from the connection's event loop.
 *
 * <p>This class decides when to unwrap and wrap: it loops over the records in the caller's buffers and the
 * kept ones. The calls into the {@link SSLEngine}, the handshake, close_notify and failure are {@link
 * EngineDriver}'s, the layer below; the bytes kept between calls are {@link InboundRecords}' (a partial record,
 * decrypted bytes the caller had no room for) and {@link OutboundRecords}' (ciphertext the socket has not
 * taken); {@link SslEngines} configures the engine.
 *
 * <p>Driving it:
 * <ol>
 *   <li>{@link #begin()}, then write {@link #networkOutput()} (the client's ClientHello).
 *   <li>For every read from the socket, call {@link #unwrap} until it returns {@link Status#NEED_MORE_INPUT}
 *       or {@link Status#CLOSED}, handing {@code appOut}'s bytes to the session after each call; then write
 *       {@link #networkOutput()} if it has bytes (handshake messages, a close_notify reply) and call
 *       {@link #consumed()}.
 *   <li>Once {@link #handshakeDone()}, {@link #wrap} what the session sends, write {@link #networkOutput()},
 *       and call {@link #consumed()}; what the socket refused stays there (count it as buffered). Or, while
 *       nothing is pending, encrypt a large write through a reusable buffer of the caller's, a few records
 *       at a time ({@link #wrap(ByteBuffer[], int, int, ByteBuffer)}), and hand what the socket refuses to
 *       {@link #keepOutput}.
 *   <li>To close, {@link #closeOutbound()} and write {@link #networkOutput()}; then {@link #release()}.
 * </ol>
 *
 * <p>Handshake work the engine delegates (certificate checks, key exchange) runs inline on the calling
 * thread: it costs about a millisecond per handshake and a hand-off would cost a task queue and a wakeup.
 *
 * <p>Renegotiation is refused: with TLS 1.2, a handshake the peer starts after the first one fails the
 * connection with an {@link SSLException}. TLS 1.3 has no renegotiation; its post-handshake messages
 * (NewSessionTicket, KeyUpdate) are processed. Only TLS 1.3 and 1.2 are enabled.
 *
 * <p>Memory: an idle connection holds the {@link SSLEngine}, this object and its two record keepers, no
 * buffer. Buffers come from a {@link TlsBufferPool} when needed and go back as soon as they are empty: the
 * pending ciphertext (one packet, about 16.3 KiB, or the size of a large write), a partial inbound record (at
 * most one packet), and decrypted bytes that did not fit {@code appOut} (only when {@code appOut} is smaller
 * than a record).
 *
 * <p>After an {@link SSLException}, {@link #networkOutput()} may hold an alert for the peer: write it if
 * convenient, then close the connection. Every later {@link #wrap} or {@link #unwrap} fails.
 */
public final class TlsEngine extends EngineDriver {

    /** What {@link #unwrap} needs next. {@code appOut} may hold new bytes whatever the status. */
    public enum Status {
        /** Call {@link #unwrap} again (with the same network input) after draining {@code appOut}. */
        OK,
        /** All network input was consumed (a partial record is kept); read more from the socket. */
        NEED_MORE_INPUT,
        /** The peer's close_notify arrived: it sends nothing more. Input after it is ignored. */
        CLOSED
    }

    /** RFC 8446 section 5.1 and RFC 5246 section 6.2.1: a record carries at most 2^14 plaintext bytes. */
    private static final int MAX_PLAINTEXT = 1 << 14;

    private final InboundRecords inbound;
    /**
     * The engine took a whole record but kept decrypted bytes that did not fit: some providers (Conscrypt)
     * decrypt in parts and hand the rest out on the next unwrap, even one without network input, where the
     * JDK's engine takes nothing and asks for a larger buffer.
     */
    private boolean engineHoldsPlaintext;

    private TlsEngine(SSLEngine engine, TlsBufferPool pool) {
        super(engine, new OutboundRecords(Objects.requireNonNull(pool, "pool")));
        this.inbound = new InboundRecords(pool);
    }

    /** A client engine that verifies the server's certificate against {@code host}. */
    public static TlsEngine client(SSLContext ctx, String host, int port) {
        return client(ctx, host, port, true, TlsBufferPool.unpooled());
    }

    /** A client engine; see {@link #client(SSLContext, String, int, boolean, TlsBufferPool)}. */
    public static TlsEngine client(SSLContext ctx, String host, int port, boolean verifyHostname) {
        return client(ctx, host, port, verifyHostname, TlsBufferPool.unpooled());
    }

    /**
     * A client engine for a server reached as {@code host}. The trust decision is {@code ctx}'s; with
     * {@code verifyHostname} the certificate must also name {@code host} (RFC 2818 / RFC 6125 rules, the JDK's
     * "HTTPS" endpoint identification). A host name, but not an IP literal, is sent as SNI (RFC 6066).
     *
     * @throws IllegalArgumentException if {@code ctx} enables neither TLS 1.3 nor TLS 1.2
     */
    public static TlsEngine client(SSLContext ctx, String host, int port, boolean verifyHostname,
            TlsBufferPool pool) {
        return new TlsEngine(SslEngines.client(ctx, host, port, verifyHostname), pool);
    }

    /** A server engine presenting {@code ctx}'s key material. */
    public static TlsEngine server(SSLContext ctx) {
        return server(ctx, TlsBufferPool.unpooled());
    }

    /**
     * A server engine presenting {@code ctx}'s key material, borrowing buffers from {@code pool}.
     *
     * @throws IllegalArgumentException if {@code ctx} enables neither TLS 1.3 nor TLS 1.2
     */
    public static TlsEngine server(SSLContext ctx, TlsBufferPool pool) {
        return new TlsEngine(SslEngines.server(ctx), pool);
    }

    /** Starts the handshake; a client's ClientHello lands in {@link #networkOutput()}. Called once. */
    public void begin() throws SSLException {
        beginHandshake();
    }

    /**
     * Feeds network bytes read from the socket. Decrypted application bytes are appended to {@code appOut}
     * (caller-owned; size it with {@link #applicationBufferSize()} to avoid a copy: a record that does not fit
     * a smaller buffer is decrypted into a pooled buffer and handed out over the following calls). Handshake
     * messages the engine answers go to {@link #networkOutput()}.
     *
     * @param netIn consumed entirely unless the status is {@link Status#OK} (call again) or
     *     {@link Status#CLOSED}; a partial record is kept internally (at most one packet)
     * @param appOut must have room for at least one byte
     * @throws SSLException on a protocol violation, an invalid certificate, a fatal alert from the peer, or a
     *     renegotiation attempt
     */
    public Status unwrap(ByteBuffer netIn, ByteBuffer appOut) throws SSLException {
        checkUsable();
        if (!appOut.hasRemaining()) {
            throw new IllegalArgumentException("appOut has no room");
        }
        if (inbound.hasDecrypted() && (inbound.drainDecrypted(appOut) || !appOut.hasRemaining())) {
            return Status.OK;
        }
        try {
            if (!begun()) {
                beginHandshake();
            }
            return unwrapRecords(netIn, appOut);
        } catch (SSLException | RuntimeException e) {
            throw fail(e);
        }
    }

    private Status unwrapRecords(ByteBuffer netIn, ByteBuffer appOut) throws SSLException {
        ByteBuffer dst = appOut;
        int produced = 0;
        int idle = 0;
        for (;;) {
            if (sslEngine().isInboundDone()) {
                releaseUnused(dst, appOut);
                return Status.CLOSED;
            }
            boolean fromRecord = inbound.hasPartial();
            if (fromRecord) {
                inbound.fillPartial(netIn);
                if (!netIn.hasRemaining() && inbound.missing() > 0 && !engineHoldsPlaintext) {
                    return Status.NEED_MORE_INPUT; // the header says so: no need to ask the engine
                }
            } else if (!netIn.hasRemaining() && !engineHoldsPlaintext) {
                return Status.NEED_MORE_INPUT;
            }
            boolean doneBefore = isHandshakeDone();
            SSLEngineResult r = fromRecord ? unwrapFromRecord(dst) : engineUnwrap(netIn, dst);
            engineHoldsPlaintext = r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW
                    && (r.bytesConsumed() > 0 || r.bytesProduced() > 0);
            switch (r.getStatus()) {
                case OK -> {
                    afterUnwrap(r, doneBefore);
                    if (dst != appOut) {
                        if (r.bytesProduced() > 0) {
                            inbound.keepDecrypted(dst, appOut);
                            return Status.OK;
                        }
                        inbound.dropOverflow(dst); // the record held no application data
                        dst = appOut;
                    }
                    produced += r.bytesProduced();
                    idle = r.bytesConsumed() == 0 && r.bytesProduced() == 0 ? idle + 1 : 0;
                    if (idle > 2) { // only a pending task explains one empty result; never loop on them
                        throw new SSLException("SSLEngine made no progress unwrapping");
                    }
                    if (!appOut.hasRemaining()) {
                        return !inbound.hasPartial() && !netIn.hasRemaining() ? Status.NEED_MORE_INPUT : Status.OK;
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    releaseUnused(dst, appOut);
                    dst = appOut;
                    if (!fromRecord) {
                        inbound.keepPartial(netIn, sessionPacketSize(), packetSize());
                        return Status.NEED_MORE_INPUT;
                    }
                    if (!netIn.hasRemaining()) {
                        return Status.NEED_MORE_INPUT;
                    }
                    inbound.growPartial(sessionPacketSize());
                }
                case BUFFER_OVERFLOW -> {
                    produced += r.bytesProduced();
                    if (dst != appOut) {
                        if (r.bytesProduced() == 0) {
                            throw new SSLException("TLS record larger than the application buffer");
                        }
                        inbound.keepDecrypted(dst, appOut); // the engine holds the rest of the record
                        return Status.OK;
                    }
                    if (produced > 0) {
                        return Status.OK; // the caller drains appOut and calls again
                    }
                    dst = inbound.overflowBuffer(applicationBufferSize());
                }
                case CLOSED -> {
                    afterUnwrap(r, false); // answers close_notify where the engine wants to (TLS 1.2)
                    releaseUnused(dst, appOut);
                    return Status.CLOSED;
                }
            }
        }
    }

    private SSLEngineResult unwrapFromRecord(ByteBuffer dst) throws SSLException {
        ByteBuffer record = inbound.openPartial();
        try {
            return engineUnwrap(record, dst);
        } finally {
            inbound.closePartial();
        }
    }

    private void releaseUnused(ByteBuffer dst, ByteBuffer appOut) {
        if (dst != appOut) {
            inbound.dropOverflow(dst);
        }
    }

    /** Encrypts {@code app} entirely; see {@link #wrap(ByteBuffer[], int, int)}. */
    public void wrap(ByteBuffer... app) throws SSLException {
        wrap(app, 0, app.length);
    }

    /**
     * Encrypts every remaining byte of {@code app[offset, offset + length)}, as many records as needed, into
     * {@link #networkOutput()}. The output buffer is sized once from the plaintext length, so a large write
     * costs one allocation and no re-copy. Takes an array and range so a caller can reuse its array.
     *
     * @throws IllegalStateException before {@link #handshakeDone()}
     * @throws SSLException if the outbound side is closed or the engine fails
     */
    public void wrap(ByteBuffer[] app, int offset, int length) throws SSLException {
        checkWrappable();
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += app[i].remaining();
        }
        if (total == 0) {
            return;
        }
        try {
            if (sslEngine().isOutboundDone()) {
                throw new SSLException("TLS outbound side is closed");
            }
            long records = (total + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
            long room = records * packetSize();
            if (room > Integer.MAX_VALUE - 64 - outbound().pendingBytes()) {
                throw new IllegalArgumentException("write of " + total + " bytes is too large for one buffer");
            }
            outbound().reserve((int) room);
            int idle = 0;
            while (total > 0) {
                SSLEngineResult r = wrapRecord(app, offset, length);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("TLS outbound side is closed");
                }
                total -= r.bytesConsumed();
                advanceHandshake(r.getHandshakeStatus()); // a TLS 1.3 KeyUpdate answer, if any
                idle = r.bytesConsumed() == 0 && r.bytesProduced() == 0 ? idle + 1 : 0;
                if (idle > 1) {
                    throw new SSLException("SSLEngine made no progress wrapping application data");
                }
            }
        } catch (SSLException | RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * Encrypts application bytes straight into {@code dst}, a caller's buffer in write mode, as many whole
     * records as it has room for, and returns the application bytes consumed. A caller writes a large message
     * through one reusable buffer this way (wrap, write to the socket, repeat) instead of one sized for the
     * whole message; what the socket refuses goes to {@link #keepOutput}, and the rest of the message to
     * {@link #wrap(ByteBuffer[], int, int)}, which queues behind it. Handshake messages the engine sends
     * meanwhile (a TLS 1.3 KeyUpdate answer) land in {@code dst} too, in order.
     *
     * @param dst needs room for at least one packet ({@link SSLSession#getPacketBufferSize()}) to make progress;
     *     with less, nothing is consumed
     * @throws IllegalStateException before {@link #handshakeDone()}, or while {@link #networkOutput()} holds
     *     ciphertext (new records must queue behind it: use {@link #wrap(ByteBuffer[], int, int)})
     * @throws SSLException if the outbound side is closed or the engine fails
     */
    public long wrap(ByteBuffer[] app, int offset, int length, ByteBuffer dst) throws SSLException {
        checkWrappable();
        if (outbound().pendingBytes() > 0) {
            throw new IllegalStateException("ciphertext is pending: wrap behind it");
        }
        long consumed = 0;
        try {
            int idle = 0;
            boolean needWrap = false;
            for (;;) {
                boolean data = hasRemaining(app, offset, length);
                if (dst.remaining() < packetSize() || !(data || needWrap)) {
                    return consumed;
                }
                if (sslEngine().isOutboundDone()) {
                    throw new SSLException("TLS outbound side is closed");
                }
                SSLEngineResult r = data ? wrapInto(app, offset, length, dst) : wrapInto(NO_DATA, 0, 1, dst);
                switch (r.getStatus()) {
                    case CLOSED -> throw new SSLException("TLS outbound side is closed");
                    case BUFFER_OVERFLOW -> {
                        if (dst.remaining() >= growPacketSize()) {
                            throw new SSLException("SSLEngine reports no room in " + dst.remaining() + " bytes");
                        }
                        return consumed; // a larger packet size than dst has left: the caller writes dst first
                    }
                    default -> { }
                }
                consumed += r.bytesConsumed();
                // a KeyUpdate answer, even after the last byte
                needWrap = afterWrapInto(r.getHandshakeStatus()) == HandshakeStatus.NEED_WRAP;
                idle = r.bytesConsumed() == 0 && r.bytesProduced() == 0 ? idle + 1 : 0;
                if (idle > 1) {
                    throw new SSLException("SSLEngine made no progress wrapping application data");
                }
            }
        } catch (SSLException | RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * Keeps the ciphertext left in {@code unwritten} (read mode: what the socket refused of a buffer filled by
     * {@link #wrap(ByteBuffer[], int, int, ByteBuffer)}) as {@link #networkOutput()}, and consumes it.
     */
    public void keepOutput(ByteBuffer unwritten) {
        outbound().keep(unwritten);
    }

    private static boolean hasRemaining(ByteBuffer[] app, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (app[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ciphertext waiting for the socket, in read mode: write from it (advancing its position only), then
     * call {@link #consumed()}. It is this engine's own buffer, so no bytes are copied on the way out; do not
     * keep it across other calls on this engine.
     */
    public ByteBuffer networkOutput() {
        return outbound().networkOutput();
    }

    /** Reports that bytes of {@link #networkOutput()} were written; gives its buffer back once it is empty. */
    public void consumed() {
        outbound().consumed();
    }

    /** Whether the first handshake completed: from then on {@link #wrap} may be called. */
    public boolean handshakeDone() {
        return isHandshakeDone();
    }

    /** Whether the peer's close_notify arrived. */
    public boolean inboundClosed() {
        return sslEngine().isInboundDone();
    }

    /** Whether our close_notify has been produced (it may still wait in {@link #networkOutput()}). */
    public boolean outboundClosed() {
        return sslEngine().isOutboundDone();
    }

    /**
     * Sends close_notify: it lands in {@link #networkOutput()}. Nothing may be wrapped afterwards. Harmless
     * when already closed or failed.
     */
    public void closeOutbound() throws SSLException {
        sendCloseNotify();
    }

    /** Gives every buffer back to the pool. Call once the connection is closed; the engine is unusable after. */
    public void release() {
        markFailed();
        outbound().release();
        inbound.release();
    }

    /** The session: negotiated protocol and cipher suite, peer certificates, requested server names. */
    public SSLSession session() {
        return sslEngine().getSession();
    }

    /** The largest plaintext one record can carry: an {@code appOut} this large never needs a copy. */
    public int applicationBufferSize() {
        return sslEngine().getSession().getApplicationBufferSize();
    }

    /** Bytes of buffer capacity this engine holds right now (the SSLEngine's own state aside). */
    int retainedBytes() {
        return outbound().retainedBytes() + inbound.retainedBytes();
    }
}
