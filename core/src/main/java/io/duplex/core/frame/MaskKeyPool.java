package io.duplex.core.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/** One thread's supply of masking keys: a block of {@link SecureRandom} bytes, read four at a time. */
final class MaskKeyPool {

    private static final int BLOCK_BYTES = 1024;
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final SecureRandom random;
    private final byte[] block = new byte[BLOCK_BYTES];
    private int next = BLOCK_BYTES;

    /** A pool seeded by a new {@link SecureRandom}, so no two pools share a sequence. */
    MaskKeyPool() {
        this.random = new SecureRandom();
    }

    int next() {
        if (next == BLOCK_BYTES) {
            random.nextBytes(block);
            next = 0;
        }
        int key = (int) INTS.get(block, next);
        next += 4;
        return key;
    }
}
