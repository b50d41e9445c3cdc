package io.duplex.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The transport a {@link io.duplex.core.engine.Session Session} runs over: where it writes its frames, how it
 * pauses and resumes reading, starts the close timer, closes the connection and names the peer. Implemented by whatever owns the socket:
 * {@code duplex-nio}'s connections, or an embedder's own loop or blocking thread.
 *
 * <p>A session calls these methods from the thread that drives it. It never blocks on them.
 */
public interface Transport {

    /**
     * Writes a frame, or the next piece of one: {@code header} then {@code payload} (either may be empty). A
     * frame whose payload the session builds in scratch chunks (a large text message, any masked client
     * frame) arrives as several calls, the first with the header and the rest with an empty header; a
     * transport that needs frame boundaries (to cut its queue, say) counts a call with a non-empty header as
     * the start of a frame. The buffers are only lent: the transport must write them or copy what it could not
     * write before returning, because the session reuses them.
     *
     * @param done completed when every byte has reached the socket, or exceptionally when it never will;
     *     {@code null} when nobody waits for it
     */
    void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done);

    /**
     * Writes one frame like {@link #write}, except that the session gives {@code payload} away instead of
     * lending it: nobody changes its bytes from now on, so the transport may keep a reference to what the
     * socket refused rather than copy it (the header is still only lent). The transport must call
     * {@code release.accept(payload)} exactly once when it no longer reads the payload: after its last byte
     * was written, or when the bytes are dropped because the connection closed. It must not touch
     * {@code payload} after that call. The payload goes back to the session's {@link BufferProvider}, so make
     * the call on the thread that drives the session, unless that provider is thread-safe (the default,
     * {@link BufferProvider#allocating()}, is).
     *
     * <p>The session only gives away buffers it owns (a received message it assembled itself and the handler
     * sends back from {@code onBinary}); a buffer a caller passed to a send is always lent through
     * {@link #write}. The default writes and releases at once, which is right for any transport that copies.
     *
     * @param release takes the payload back once the transport is done with it
     */
    default void writeAndRelease(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done,
            Consumer<ByteBuffer> release) {
        try {
            write(header, payload, done);
        } finally {
            release.accept(payload);
        }
    }

    /**
     * Writes an automatic Pong, the session's answer to a received Ping: one whole frame, {@code header} then
     * {@code payload} (at most 125 bytes), both lent as for {@link #write}. RFC 6455 §5.5.3 lets an endpoint
     * answer only the most recent Ping, so while a Pong written through this method waits because the
     * socket refuses bytes, the transport may replace it with the next one rather than queue both: a peer
     * that sends Pings and never reads then holds a bounded number of Pongs in the transport's buffers,
     * however many Pings it sends. While the socket takes everything, answer every Ping: peers expect it. Nobody waits for the frame. The default writes it like any other frame, which is right for a
     * transport that never queues.
     */
    default void writePong(ByteBuffer header, ByteBuffer payload) {
        write(header, payload, null);
    }

    /**
     * The session is done with the connection: close the TCP connection (after writing what is buffered).
     * Called once.
     */
    void closeTransport();

    /**
     * The close handshake started: a Close frame was sent or received. The transport arms its close timeout
     * here and calls {@link io.duplex.core.engine.Session#closeTimeoutExpired()} when it fires.
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
