package io.duplex.nio;

import io.duplex.nio.internal.loop.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a connection's TCP as RFC 6455 §7.1.1 asks, a lingering close: once everything buffered is
 * written, the output is half-closed (after TLS close_notify), and the socket is closed once the peer's FIN
 * arrives; the connection's close timeout bounds the wait. Meanwhile whatever the peer still sends is read and
 * discarded: closing with unread input would make the kernel answer with RST, which discards the Close still
 * on its way to the peer.
 *
 * <p>Made when the close begins, so an open connection holds none. Loop thread only.
 */
final class LingeringClose {

    private static final Logger LOG = LoggerFactory.getLogger(LingeringClose.class);
    /** Reads per readiness event at most, so one peer that keeps sending cannot starve the loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    /** The connection as its lingering close sees it. */
    interface Owner {
        /** The byte stream over the socket, which ends what it sends first (TLS close_notify). */
        Wire wire();

        /** The socket itself, half-closed and drained below the wire. */
        SocketChannel channel();

        /** Whether the connection is closed already (a deferred step then has nothing left to do). */
        boolean isClosed();

        /** Asks for (or stops asking for) OP_READ: the peer's bytes and FIN. */
        void readInterest(boolean on);

        /** Asks for OP_WRITE: the wire's close_notify waits for the socket. */
        void writeInterest(boolean on);

        /** Arms the close timeout, unless a deadline (the opening handshake's) already runs. */
        void armCloseTimeout();

        /** Closes the channel now; {@code cause} null for an orderly end. */
        void closeNow(Throwable cause);
    }

    private final Owner owner;
    private final EventLoop loop;
    /** Bytes discarded after which the peer is no longer read ({@link ConnectionSettings#closeDrainLimit}). */
    private final long drainLimit;
    /** Bytes the peer sent after the close began, read and discarded. */
    private long drained;
    /** Our output is half-closed: the peer has every byte we owed it and our FIN. */
    private boolean outputShut;
    /** The peer's FIN arrived. */
    private boolean peerDone;

    LingeringClose(Owner owner, EventLoop loop, long drainLimit) {
        this.owner = owner;
        this.loop = loop;
        this.drainLimit = drainLimit;
    }

    /**
     * Starts lingering: reads (and discards) from now on, even if the application paused reading, as a peer
     * that cannot send may never read our Close either; and arms the close timeout.
     *
     * @param flushed nothing is buffered, so the output is half-closed at once; else {@link #shutOutput()} is
     *     called once the buffer drained
     */
    void start(boolean flushed) {
        owner.readInterest(true);
        owner.armCloseTimeout();
        if (flushed) {
            // Deferred: the session is still inside the call that asked for the close.
            loop.execute(this::shutOutputUnlessClosed);
        }
    }

    private void shutOutputUnlessClosed() {
        if (!owner.isClosed()) {
            shutOutput();
        }
    }

    /**
     * Everything buffered is written: half-closes the output (TLS: once close_notify is out too), then waits
     * for the peer's FIN, or closes at once if it already came.
     */
    void shutOutput() {
        if (!outputShut) {
            try {
                if (!owner.wire().closeOutput()) {
                    owner.writeInterest(true); // close_notify waits for the socket
                    return;
                }
                owner.channel().shutdownOutput();
            } catch (IOException e) {
                owner.closeNow(e);
                return;
            }
            outputShut = true;
        }
        if (peerDone) {
            owner.closeNow(null);
        }
    }

    /**
     * Reads what the peer still sends and discards it, into the loop's shared buffer: a lingering connection
     * holds no more memory than an idle one. Reads the socket itself, below TLS, since nothing the peer sends
     * now is delivered. Past the drain limit it stops reading and the close timeout ends the connection.
     */
    void drain() {
        ByteBuffer buf = loop.readBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            buf.clear();
            int n;
            try {
                n = owner.channel().read(buf);
            } catch (IOException e) {
                owner.closeNow(e);
                return;
            }
            if (n < 0) {
                owner.readInterest(false);
                peerDone = true;
                if (outputShut) {
                    owner.closeNow(null);
                }
                return;
            }
            drained += n;
            if (drained > drainLimit) {
                LOG.debug("peer sent over {} bytes after the close began; no longer reading", drainLimit);
                owner.readInterest(false);
                return;
            }
            if (n < buf.capacity()) {
                return;
            }
        }
    }

    /** The channel closed: says how much the peer sent in vain, if anything. */
    void closed() {
        if (drained > 0) {
            LOG.debug("closed after discarding {} bytes the peer sent during the close", drained);
        }
    }
}
