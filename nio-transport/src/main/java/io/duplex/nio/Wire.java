package io.duplex.nio;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The byte stream under a connection's session: the socket itself, or a TLS layer over it. The connection
 * reads and writes application bytes through it and never touches the socket directly, so a layer can sit
 * between socket and session without the connection knowing.
 */
interface Wire {

    /** Reads application bytes into {@code dst}; returns how many (0 when none are ready), or -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes as much of {@code srcs[offset..offset+length)} as the socket takes now (a gathering write). */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Closes the underlying channel. Never throws. */
    void close();
}
