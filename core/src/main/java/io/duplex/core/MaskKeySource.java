package io.duplex.core;

import java.security.SecureRandom;

/**
 * Where a client {@link io.duplex.core.engine.Session Session} draws the masking key of each frame it sends
 * (RFC 6455 §5.3, §10.3): keys must be fresh per frame and unpredictable to the peer and to intermediaries,
 * so every source here reads a {@link SecureRandom}. Only a client masks; a server session never asks.
 *
 * <p>A source need not be thread-safe: a session draws from it on the thread that drives it, so one source
 * per driving thread, shared by the sessions that thread drives, needs no lock (the NIO transport keeps one
 * per event loop). A session given none makes its own with its first masked frame.
 */
@FunctionalInterface
public interface MaskKeySource {

    /** A fresh unpredictable masking key; its most significant byte masks payload byte 0. */
    int nextKey();

    /**
     * A new source for the sessions one thread drives: its own independently seeded DRBG (NIST SP 800-90A,
     * reseeding on its own), read a block of 1024 keys at a time, so a key costs no allocation and no lock.
     * Not thread-safe.
     */
    static MaskKeySource secure() {
        return new MaskKeyPool(MaskKeyPool.newGenerator(), MaskKeyPool.LOOP_BLOCK_BYTES);
    }

    /**
     * A new source reading {@code random} 16 keys at a time: small enough to belong to one session. Not
     * thread-safe (though {@code random} may be shared).
     */
    static MaskKeySource of(SecureRandom random) {
        return new MaskKeyPool(random, MaskKeyPool.SESSION_BLOCK_BYTES);
    }
}
