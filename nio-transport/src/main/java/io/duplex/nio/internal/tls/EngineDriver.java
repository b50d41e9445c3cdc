package io.duplex.nio.internal.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The lower layer of a {@link TlsEngine}: one connection's {@link SSLEngine} and every call into it. One wrap
 * or unwrap of a record, the handshake steps its result asks for (delegated tasks, handshake messages,
 * FINISHED, refusing a TLS 1.2 renegotiation), close_notify, and failing with an alert for the peer. The state
 * those steps share (handshake begun and done, failed, the packet size) has its home here; {@link TlsEngine}
 * above loops these calls over the caller's buffers and the kept records.
 *
 * <p>A superclass rather than a part because a part would be one more object on every idle connection.
 */
abstract class EngineDriver {

    /** What is wrapped when only the engine has something to say (a handshake message, an alert). */
    static final ByteBuffer[] NO_DATA = {ByteBuffer.allocate(0).asReadOnlyBuffer()};

    private final SSLEngine engine;
    private final OutboundRecords outbound;
    private int packetSize;

    private boolean begun;
    private boolean handshakeDone;
    private boolean failed;
    private long engineCalls;

    EngineDriver(SSLEngine engine, OutboundRecords outbound) {
        this.engine = engine;
        this.outbound = outbound;
        this.packetSize = engine.getSession().getPacketBufferSize();
    }

    /** Starts the handshake; a client's ClientHello lands in the pending ciphertext. Called once. */
    final void beginHandshake() throws SSLException {
        checkUsable();
        if (begun) {
            throw new IllegalStateException("handshake already begun");
        }
        begun = true;
        try {
            engine.beginHandshake();
            advanceHandshake(engine.getHandshakeStatus());
        } catch (SSLException | RuntimeException e) {
            throw fail(e);
        }
    }

    final boolean begun() {
        return begun;
    }

    final boolean isHandshakeDone() {
        return handshakeDone;
    }

    /** The packet size records are wrapped with; it follows the session once the handshake is done. */
    final int packetSize() {
        return packetSize;
    }

    /** The session's packet size now: what a kept inbound record may grow to. */
    final int sessionPacketSize() {
        return engine.getSession().getPacketBufferSize();
    }

    /** Follows the session's packet size if it grew, and returns the packet size. */
    final int growPacketSize() {
        packetSize = Math.max(packetSize, engine.getSession().getPacketBufferSize());
        return packetSize;
    }

    /** The ciphertext waiting for the socket, where {@link #wrapRecord} appends. */
    final OutboundRecords outbound() {
        return outbound;
    }

    /**
     * After an unwrap: refuses a TLS 1.2 renegotiation (a handshake the peer starts once the first one is
     * done), then takes the handshake steps the result asks for.
     */
    final void afterUnwrap(SSLEngineResult r, boolean doneBefore) throws SSLException {
        HandshakeStatus hs = r.getHandshakeStatus();
        if (doneBefore && r.getStatus() == SSLEngineResult.Status.OK && hs != HandshakeStatus.NOT_HANDSHAKING
                && hs != HandshakeStatus.FINISHED && !engine.isOutboundDone()
                && !SslEngines.TLS_13.equals(engine.getSession().getProtocol())) {
            failed = true; // before anything else can answer the peer's hello
            throw new SSLException("TLS renegotiation refused");
        }
        advanceHandshake(hs);
    }

    /** Runs tasks and wraps handshake messages until the engine waits for the peer or is done. */
    final void advanceHandshake(HandshakeStatus hs) throws SSLException {
        for (;;) {
            switch (hs) {
                case NEED_TASK -> {
                    runDelegatedTasks();
                    hs = engine.getHandshakeStatus();
                }
                case NEED_WRAP -> {
                    SSLEngineResult w = wrapRecord(NO_DATA, 0, 1);
                    if (w.bytesProduced() == 0) {
                        if (w.getStatus() == SSLEngineResult.Status.CLOSED) {
                            return; // nothing left to say on a closed engine
                        }
                        if (w.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                            throw new SSLException("SSLEngine made no progress wrapping a handshake message");
                        }
                    }
                    hs = w.getHandshakeStatus();
                }
                case FINISHED -> {
                    markHandshakeDone();
                    hs = engine.getHandshakeStatus();
                }
                default -> {
                    return;
                }
            }
        }
    }

    private void markHandshakeDone() {
        if (!handshakeDone) {
            handshakeDone = true;
            packetSize = engine.getSession().getPacketBufferSize();
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** One engine wrap behind the pending ciphertext, with room for one packet. */
    final SSLEngineResult wrapRecord(ByteBuffer[] src, int offset, int length) throws SSLException {
        for (int attempt = 0;; attempt++) {
            ByteBuffer out = outbound.openForAppend(packetSize);
            SSLEngineResult r;
            try {
                engineCalls++;
                r = engine.wrap(src, offset, length, out);
            } finally {
                outbound.closeForAppend();
            }
            if (r.bytesProduced() == 0) {
                // Some engines (Conscrypt) end a handshake with a wrap that writes nothing: an idle connection
                // must not keep a packet-sized buffer for it.
                outbound.consumed();
            }
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    markHandshakeDone();
                }
                return r;
            }
            int size = engine.getSession().getPacketBufferSize();
            if (attempt > 0 || size <= packetSize) {
                throw new SSLException("SSLEngine reports no room in a " + packetSize + "-byte packet buffer");
            }
            packetSize = size;
        }
    }

    /** One engine wrap straight into a caller's buffer; follow it with {@link #afterWrapInto}. */
    final SSLEngineResult wrapInto(ByteBuffer[] src, int offset, int length, ByteBuffer dst) throws SSLException {
        engineCalls++;
        return engine.wrap(src, offset, length, dst);
    }

    /**
     * The handshake step after {@link #wrapInto}: notes FINISHED or runs delegated tasks, and returns the
     * handshake status that follows.
     */
    final HandshakeStatus afterWrapInto(HandshakeStatus hs) {
        if (hs == HandshakeStatus.FINISHED) {
            markHandshakeDone();
        } else if (hs == HandshakeStatus.NEED_TASK) {
            runDelegatedTasks();
            hs = engine.getHandshakeStatus();
        }
        return hs;
    }

    /** One engine unwrap of {@code src} into {@code dst}; the caller follows it with {@link #afterUnwrap}. */
    final SSLEngineResult engineUnwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
        engineCalls++;
        SSLEngineResult r = engine.unwrap(src, dst);
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            markHandshakeDone();
        }
        return r;
    }

    /** Queues close_notify behind the pending ciphertext; harmless when already closed or failed. */
    final void sendCloseNotify() throws SSLException {
        if (failed || engine.isOutboundDone()) {
            return;
        }
        engine.closeOutbound();
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                if (wrapRecord(NO_DATA, 0, 1).bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException | RuntimeException e) {
            throw fail(e);
        }
    }

    /** How many times the SSLEngine was asked to wrap or unwrap: lets tests prove there is no spinning. */
    final long engineCalls() {
        return engineCalls;
    }

    /** The underlying engine: its state for the layer above, and for tests that play a misbehaving peer. */
    final SSLEngine sslEngine() {
        return engine;
    }

    /** From now on every call fails: the connection failed or its buffers were released. */
    final void markFailed() {
        failed = true;
    }

    /** Refuses data before the first handshake completes, and everything once failed. */
    final void checkWrappable() throws SSLException {
        checkUsable();
        if (!handshakeDone) {
            throw new IllegalStateException("TLS handshake not finished");
        }
    }

    final void checkUsable() throws SSLException {
        if (failed) {
            throw new SSLException("TLS connection already failed or released");
        }
    }

    /** Marks the connection failed and queues the engine's alert for the peer, best effort. */
    final SSLException fail(Exception e) {
        boolean alertUnwanted = failed; // set by a refused renegotiation: send the peer nothing more
        failed = true;
        if (!alertUnwanted) {
            try {
                for (int i = 0; i < 2 && !engine.isOutboundDone(); i++) {
                    if (wrapRecord(NO_DATA, 0, 1).bytesProduced() == 0) {
                        break;
                    }
                }
            } catch (SSLException | RuntimeException ignored) {
                // The alert is a courtesy; the original failure is what matters.
            }
        }
        return e instanceof SSLException s ? s : new SSLException("SSLEngine failed: " + e, e);
    }
}
