package io.duplex.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A supply of masking keys: a block of {@link SecureRandom} bytes, read four at a time. Not thread-safe.
 *
 * <p>{@link #newGenerator()} picks the JDK's DRBG (NIST SP 800-90A, self-seeded from the system's entropy
 * source and reseeding on its own), which returns large blocks with little garbage; a pool that serves one
 * thread's sessions reads it {@link #LOOP_BLOCK_BYTES} at a time, one that serves a single session a small
 * {@link #SESSION_BLOCK_BYTES}.
 */
final class MaskKeyPool implements MaskKeySource {

    /** 1024 keys per refill: amortizes a refill's fixed cost over many frames of many sessions. */
    static final int LOOP_BLOCK_BYTES = 4096;
    /** 16 keys per refill: little to hold for a session that may send few frames. */
    static final int SESSION_BLOCK_BYTES = 64;

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final SecureRandom random;
    private final byte[] block;
    private int next;

    /** A pool reading {@code random} {@code blockBytes} at a time (a positive multiple of 4). */
    public MaskKeyPool(SecureRandom random, int blockBytes) {
        if (blockBytes <= 0 || blockBytes % 4 != 0) {
            throw new IllegalArgumentException("block of " + blockBytes + " bytes is not a positive multiple of 4");
        }
        this.random = random;
        this.block = new byte[blockBytes];
        this.next = blockBytes;
    }

    /** A new, independently seeded generator: the DRBG, or the platform default where there is none. */
    public static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // a JDK without DRBG: still strong, only slower
        }
    }

    @Override
    public int nextKey() {
        if (next == block.length) {
            random.nextBytes(block);
            next = 0;
        }
        int key = (int) INTS.get(block, next);
        next += 4;
        return key;
    }
}
