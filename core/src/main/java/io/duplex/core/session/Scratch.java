package io.duplex.core.session;

import java.nio.ByteBuffer;

/**
 * Per-thread scratch buffers for building outbound frames. {@link io.duplex.core.Outbound#write} only borrows
 * what it is given, so one buffer per thread serves every connection that thread drives: nothing is
 * allocated per frame and an idle connection holds no send buffer.
 */
final class Scratch {

    /** Payload chunk size: large enough for one gathering write to fill a socket buffer efficiently. */
    static final int CHUNK = 64 * 1024;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private final ByteBuffer header = ByteBuffer.allocate(14);
    private final ByteBuffer payload = ByteBuffer.allocate(CHUNK);
    private final ByteBuffer control = ByteBuffer.allocate(125);

    private Scratch() {
    }

    static Scratch get() {
        return LOCAL.get();
    }

    ByteBuffer header() {
        return header.clear();
    }

    ByteBuffer payload() {
        return payload.clear();
    }

    ByteBuffer control() {
        return control.clear();
    }
}
