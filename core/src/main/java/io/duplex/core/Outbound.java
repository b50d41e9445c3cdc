package io.duplex.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link Session} sends its bytes: implemented by the transport that owns the socket.
 *
 * <p>A session calls these methods from the thread that drives it. It never blocks on them.
 */
public interface Outbound {

    /**
     * Writes one frame: {@code header} then {@code payload} (either may be empty). The buffers are only
     * lent: the transport must write them or copy what it could not write before returning, because the
     * session reuses them.
     *
     * @param done completed when every byte has reached the socket, or exceptionally when it never will;
     *     {@code null} when nobody waits for it
     */
    void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done);

    /**
     * The session is done with the connection: close the TCP connection (after writing what is buffered).
     * Called once.
     */
    void closeTransport();

    /**
     * The close handshake started: a Close frame was sent or received. The transport arms its close timeout
     * here and calls {@link Session#closeTimeoutExpired()} when it fires.
     */
    default void closeStarted() {
    }

    /** Bytes written but still buffered by the transport. */
    default long bufferedAmount() {
        return 0;
    }

    /** Stop delivering received bytes to the session until {@link #resumeReading()}. */
    default void pauseReading() {
    }

    /** Deliver received bytes again. */
    default void resumeReading() {
    }

    /** The peer's address, if the transport knows it. */
    default InetSocketAddress remoteAddress() {
        return null;
    }
}
