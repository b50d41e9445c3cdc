package io.duplex.nio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A wire for {@link WriteQueue} tests: takes at most {@code budget} bytes in all, recording them. */
final class ThrottledWire implements Wire {
    final ByteArrayOutputStream taken = new ByteArrayOutputStream();
    long budget;

    @Override
    public void start() {
    }

    @Override
    public int read(SocketChannel channel, ByteBuffer scratch, Inbound inbound) {
        return 0;
    }

    @Override
    public long write(SocketChannel channel, ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length && budget > 0; i++) {
            while (srcs[i].hasRemaining() && budget > 0) {
                taken.write(srcs[i].get());
                budget--;
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean flush() {
        return true;
    }

    @Override
    public long pendingBytes() {
        return 0;
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public void close(SocketChannel channel, boolean graceful) {
    }
}
