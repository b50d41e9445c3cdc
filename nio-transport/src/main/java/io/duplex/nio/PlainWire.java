package io.duplex.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link Wire} straight over the socket (ws://); stateless, so every plain connection shares {@link #INSTANCE}. */
final class PlainWire implements Wire {

    private static final Logger LOG = LoggerFactory.getLogger(PlainWire.class);

    /** The one plain wire: an idle connection should not pay an object for the socket it already holds. */
    static final PlainWire INSTANCE = new PlainWire();

    private PlainWire() {
    }

    @Override
    public void start() {
    }

    @Override
    public int read(SocketChannel channel, ByteBuffer scratch, Inbound inbound) throws IOException {
        scratch.clear();
        int n = channel.read(scratch);
        if (n > 0) {
            scratch.flip();
            inbound.received(scratch);
        }
        return n;
    }

    @Override
    public long write(SocketChannel channel, ByteBuffer[] srcs, int offset, int length) throws IOException {
        // One buffer goes through write(2): cheaper than a one-element writev(2), in the JDK and in the kernel.
        return length == 1 ? channel.write(srcs[offset]) : channel.write(srcs, offset, length);
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
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }
}
