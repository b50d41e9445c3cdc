package io.duplex.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link Wire} straight over the socket (ws://). */
final class PlainWire implements Wire {

    private static final Logger LOG = LoggerFactory.getLogger(PlainWire.class);

    private final SocketChannel channel;

    PlainWire(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public void start() {
    }

    @Override
    public int read(ByteBuffer scratch, Inbound inbound) throws IOException {
        scratch.clear();
        int n = channel.read(scratch);
        if (n > 0) {
            scratch.flip();
            inbound.received(scratch);
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return channel.write(srcs, offset, length);
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
    public void close(boolean graceful) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }
}
