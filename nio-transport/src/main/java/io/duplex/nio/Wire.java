package io.duplex.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte stream under a connection's session: the socket itself ({@link PlainWire}), or TLS over it
 * ({@link TlsWire}). The connection reads and writes application bytes through it and never touches the
 * socket directly, so the TLS layer sits between socket and session without the connection knowing.
 *
 * <p>The methods that touch the socket are given the connection's channel, so a plain wire holds no state
 * and one instance serves every connection ({@link PlainWire#INSTANCE}); a TLS wire, which must hold its
 * engine anyway, also holds the channel and is given that same one.
 */
interface Wire {

    /** Where a wire delivers the application bytes it read. */
    interface Inbound {
        /** {@code data} holds application bytes, valid only during the call. */
        void received(ByteBuffer data);
    }

    /** Starts the wire once the socket is connected (a TLS client sends its ClientHello here). */
    void start() throws IOException;

    /**
     * Reads from the socket once and hands the application bytes to {@code inbound}, in zero or more calls.
     *
     * @param scratch the loop's shared buffer to read or decrypt into
     * @return the bytes read from the socket, or -1 at the end of the stream (or of the TLS session)
     */
    int read(SocketChannel channel, ByteBuffer scratch, Inbound inbound) throws IOException;

    /**
     * Writes application bytes: as many as the socket takes now (plain), or all of them, keeping the
     * ciphertext the socket refused ({@link #pendingBytes()}, TLS).
     *
     * @return the application bytes consumed
     */
    long write(SocketChannel channel, ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Writes what the wire itself holds; returns whether nothing is left. */
    boolean flush() throws IOException;

    /** Bytes the wire holds for the socket (TLS ciphertext); 0 for a plain wire. */
    long pendingBytes();

    /** Whether application bytes may be written (after the TLS handshake). */
    boolean ready();

    /**
     * Ends what this wire sends, before the socket's output is half-closed: a TLS wire makes its close_notify
     * and writes what the socket takes of it. A plain wire has nothing to say.
     *
     * @return whether nothing is left to write; else call again once the socket is writable
     */
    default boolean closeOutput() throws IOException {
        return flush();
    }

    /** Closes the underlying channel (after a best-effort TLS close_notify when {@code graceful}). Never throws. */
    void close(SocketChannel channel, boolean graceful);
}
