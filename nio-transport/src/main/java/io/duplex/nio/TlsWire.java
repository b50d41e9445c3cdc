package io.duplex.nio;

import io.duplex.nio.internal.tls.TlsBufferPool;
import io.duplex.nio.internal.tls.TlsEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS over the socket (wss://): a {@link TlsEngine} between the socket and the session. Ciphertext the
 * socket refuses stays in the engine and counts as buffered. Loop thread only.
 */
final class TlsWire implements Wire {

    private static final Logger LOG = LoggerFactory.getLogger(TlsWire.class);
    private static final int NETWORK_BUFFER_SIZE = 64 << 10;
    /** Room for seven TLS records of 16 KiB of plaintext each, with their headers, padding and tags. */
    private static final int NETWORK_OUT_SIZE = 128 << 10;
    /**
     * Per loop thread: where ciphertext is read, and the pool the engines borrow record buffers from. The
     * network buffers are heap buffers although the socket then copies through a direct one: the JDK's
     * AES-GCM works on a heap array in place, but stages a direct buffer's bytes through temporary arrays,
     * which costs more than the copy (see docs/benchmarks.md, (h)).
     */
    private static final ThreadLocal<ByteBuffer> NETWORK_IN =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(NETWORK_BUFFER_SIZE));
    /**
     * Per loop thread: where records are encrypted on their way to the socket, several per write; reused, so
     * a large message costs no buffer of its own size unless the socket refuses part of it.
     */
    private static final ThreadLocal<ByteBuffer> NETWORK_OUT =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(NETWORK_OUT_SIZE));
    private static final ThreadLocal<TlsBufferPool> POOL =
            ThreadLocal.withInitial(() -> TlsBufferPool.pooled(17 << 10, 64));

    private final SocketChannel channel;
    private final TlsEngine engine;
    private boolean closed;
    /** Ciphertext that arrived before this wire existed (with a proxy's answer), read before the socket. */
    private ByteBuffer early;

    private TlsWire(SocketChannel channel, TlsEngine engine) {
        this.channel = channel;
        this.engine = engine;
    }

    /** The loop's buffer pool for engines created on this thread. */
    static TlsBufferPool loopPool() {
        return POOL.get();
    }

    /** A server side over {@code channel}. Call on the loop thread. */
    static TlsWire server(SocketChannel channel, javax.net.ssl.SSLContext context) {
        return new TlsWire(channel, TlsEngine.server(context, loopPool()));
    }

    /** A client side reaching {@code host}, verifying its certificate names it when {@code verifyHostname}. */
    static TlsWire client(SocketChannel channel, javax.net.ssl.SSLContext context, String host, int port,
            boolean verifyHostname) {
        return new TlsWire(channel, TlsEngine.client(context, host, port, verifyHostname, loopPool()));
    }

    /**
     * Keeps a copy of {@code bytes} to decrypt before the socket's next bytes. A TLS server speaks only after
     * the ClientHello, so these are the start of a reply that the next socket read completes.
     */
    void prepend(ByteBuffer bytes) {
        early = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip();
    }

    @Override
    public void start() throws IOException {
        engine.begin();
        flush();
    }

    @Override
    public int read(SocketChannel ignored, ByteBuffer scratch, Inbound inbound) throws IOException {
        ByteBuffer net = NETWORK_IN.get();
        net.clear();
        int carried = 0;
        if (early != null) {
            carried = early.remaining();
            net.put(early);
            early = null;
        }
        int n = channel.read(net);
        if (n < 0 && carried == 0) {
            return -1;
        }
        net.flip();
        try {
            while (!closed) {
                scratch.clear();
                TlsEngine.Status status = engine.unwrap(net, scratch);
                scratch.flip();
                if (scratch.hasRemaining()) {
                    inbound.received(scratch);
                }
                if (!closed && engine.networkOutput().hasRemaining()) {
                    flush(); // handshake messages, a KeyUpdate answer, a close_notify reply
                }
                if (status == TlsEngine.Status.CLOSED) {
                    return -1;
                }
                if (status == TlsEngine.Status.NEED_MORE_INPUT) {
                    break;
                }
            }
        } catch (SSLException e) {
            flushQuietly(); // the alert that tells the peer why
            throw e;
        }
        return n < 0 ? -1 : n + carried;
    }

    @Override
    public long write(SocketChannel ignored, ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        if (engine.networkOutput().hasRemaining()) {
            engine.wrap(srcs, offset, length); // behind what the socket refused before
            flush();
            return total;
        }
        ByteBuffer out = NETWORK_OUT.get();
        for (;;) {
            out.clear();
            long wrapped = engine.wrap(srcs, offset, length, out);
            out.flip();
            if (out.hasRemaining()) {
                channel.write(out);
            }
            if (out.hasRemaining()) {
                engine.keepOutput(out); // the socket is full: the rest waits in the engine
                engine.wrap(srcs, offset, length);
                return total;
            }
            if (wrapped == 0) {
                engine.wrap(srcs, offset, length); // nothing left, or a packet larger than the buffer
                flush();
                return total;
            }
        }
    }

    @Override
    public boolean flush() throws IOException {
        ByteBuffer out = engine.networkOutput();
        if (out.hasRemaining()) {
            channel.write(out);
            engine.consumed();
        }
        return !engine.networkOutput().hasRemaining();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException e) {
            LOG.debug("could not send the TLS alert", e);
        }
    }

    @Override
    public long pendingBytes() {
        return closed ? 0 : engine.networkOutput().remaining();
    }

    @Override
    public boolean ready() {
        return engine.handshakeDone();
    }

    @Override
    public boolean closeOutput() throws IOException {
        if (!closed && engine.handshakeDone()) {
            engine.closeOutbound();
        }
        return flush();
    }

    @Override
    public void close(SocketChannel ignored, boolean graceful) {
        if (closed) {
            return;
        }
        closed = true;
        if (graceful && engine.handshakeDone()) {
            try {
                engine.closeOutbound();
                flush();
            } catch (IOException e) {
                LOG.debug("close_notify not sent", e);
            }
        }
        engine.release();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }
}
