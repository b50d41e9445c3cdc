package io.duplex.core.frame;

/**
 * Masking keys for client frames (RFC 6455 §5.3, §10.3): each key is drawn fresh from a
 * {@link java.security.SecureRandom}, so a peer or an intermediary cannot predict the next one.
 *
 * <p>Every thread has its own pool refilled in blocks of 1024 keys, so a key costs no allocation, no lock and
 * only a 1/1024 share of a {@code SecureRandom} call.
 */
public final class MaskKeys {

    private static final ThreadLocal<MaskKeyPool> POOLS = ThreadLocal.withInitial(MaskKeyPool::new);

    private MaskKeys() {
    }

    /** A fresh unpredictable masking key; its most significant byte masks payload byte 0. */
    public static int next() {
        return POOLS.get().next();
    }
}
