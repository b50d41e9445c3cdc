package io.duplex.core.internal.session;

import io.duplex.core.BufferProvider;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The one place a buffer crosses from the receive side to the send side, and the rule for it: a binary message
 * the session assembled in a buffer borrowed from its {@link BufferProvider} is offered here while the handler's
 * {@code onBinary} runs; a whole send of that very buffer during the callback takes it, and from then on it
 * belongs to the transport ({@link io.duplex.core.Transport#writeAndRelease}), which gives it back to the
 * provider, exactly once, when it no longer reads it. Any other buffer a send is given is only lent. A handler
 * echoing a large message therefore costs no copy, whatever the socket refuses.
 *
 * <p>The receiver offers and withdraws; the sender takes. Neither sees the other.
 */
public final class BufferHandoff {

    private final BufferProvider buffers;
    /** The buffer of the message being delivered, while it may be taken; null otherwise. */
    private ByteBuffer offered;
    /** Whether {@link #offered} was taken during the delivery. */
    private boolean taken;
    /**
     * Gives a taken buffer back to {@link #buffers}: made at the first take and kept, so later ones allocate
     * nothing, while a session that never echoes holds none.
     */
    private Consumer<ByteBuffer> release;

    /** @param buffers where the assembled buffers were borrowed, and where a taken one goes back */
    public BufferHandoff(BufferProvider buffers) {
        this.buffers = buffers;
    }

    /** The receiver is about to deliver {@code message}, a buffer it borrowed from the provider and owns. */
    void offer(ByteBuffer message) {
        offered = message;
        taken = false;
    }

    /**
     * The delivery ended: returns whether the offered buffer was taken, in which case the receiver no longer
     * owns it and must forget it (not give it back).
     */
    boolean withdraw() {
        offered = null;
        boolean wasTaken = taken;
        taken = false;
        return wasTaken;
    }

    /**
     * Takes {@code data} when it is the buffer on offer: returns how to give it back (on the session's thread,
     * unless the provider is thread-safe), and the caller then owns it. Returns {@code null} for any other
     * buffer, or when nothing is on offer; the caller then only borrows {@code data}.
     */
    public Consumer<ByteBuffer> take(ByteBuffer data) {
        if (data == null || data != offered) {
            return null;
        }
        offered = null;
        taken = true;
        if (release == null) {
            release = buffers::release;
        }
        return release;
    }
}
