package io.duplex.nio;

/**
 * Where a connection's lingering close stands (see {@link Connection#closeTransport()}): made when the close
 * begins, so an open connection holds none. Loop thread only.
 */
final class Linger {

    /** Bytes the peer sent after the close began, read and discarded. */
    long drained;
    /** Our output is half-closed: the peer has every byte we owed it and our FIN. */
    boolean outputShut;
    /** The peer's FIN arrived. */
    boolean peerDone;

    /** Counts {@code n} discarded bytes; returns whether more than {@code limit} were discarded in all. */
    boolean discarded(int n, long limit) {
        drained += n;
        return drained > limit;
    }
}
