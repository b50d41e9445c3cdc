package io.duplex.bench.tls;

import io.duplex.nio.internal.tls.TlsBufferPool;
import io.duplex.nio.internal.tls.TlsEngine;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The server side's TLS cost per message, in this JVM, without sockets: thread CPU time and allocated bytes of
 * one {@link TlsEngine} over TLS 1.3 (AES-128-GCM), in alternating blocks so that the machine's drift spreads
 * over every way measured. Ways to wrap: the whole message into one buffer sized for it ({@code whole}), or a
 * few records at a time through a reused 128 KiB direct or heap buffer; each way includes the copy the socket
 * write makes into the JDK's direct buffer when the source is a heap buffer. Ways to unwrap: from a 64 KiB
 * direct or heap read buffer (the heap one pays the socket read's copy), into a direct 64 KiB buffer.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.duplex.bench.tls.TlsPathCost KEYSTORE SIZE ITERATIONS}
 * with the bench's key store ({@code benchmarks/target/bench-keystore.p12}, password duplex-bench).
 */
public final class TlsPathCost {

    private static final int BLOCKS = 8;
    private static final int WARM_BLOCKS = 2;

    private final TlsEngine server;
    private final TlsEngine client;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 << 10);
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private TlsPathCost(SSLContext serverContext, SSLContext clientContext) throws Exception {
        server = TlsEngine.server(serverContext, TlsBufferPool.pooled(17 << 10, 64));
        client = TlsEngine.client(clientContext, "localhost", 443, false, TlsBufferPool.unpooled());
        client.begin();
        for (int i = 0; i < 100 && !(server.handshakeDone() && client.handshakeDone()); i++) {
            move(client, server);
            move(server, client);
        }
        if (!server.handshakeDone() || !client.handshakeDone()) {
            throw new IllegalStateException("the in-memory TLS handshake did not finish");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: TlsPathCost KEYSTORE SIZE ITERATIONS");
            System.exit(64);
        }
        char[] password = "duplex-bench".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
        keys.init(store, password);
        SSLContext serverContext = SSLContext.getInstance("TLSv1.3");
        serverContext.init(keys.getKeyManagers(), null, null);
        SSLContext clientContext = SSLContext.getInstance("TLSv1.3");
        clientContext.init(null, new TrustManager[] {new TrustAll()}, null);
        new TlsPathCost(serverContext, clientContext).run(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    }

    private void run(int size, int iterations) throws Exception {
        byte[] payload = new byte[size];
        ByteBuffer socket = ByteBuffer.allocateDirect(size + size / 8 + 4096);
        ByteBuffer direct = ByteBuffer.allocateDirect(128 << 10);
        ByteBuffer heap = ByteBuffer.allocate(128 << 10);
        ByteBuffer wire = ByteBuffer.allocate(size + size / 8 + 4096);
        ByteBuffer netDirect = ByteBuffer.allocateDirect(64 << 10);
        ByteBuffer netHeap = ByteBuffer.allocate(64 << 10);
        String[] ways = {"wrap-whole", "wrap-rounds-direct", "wrap-rounds-heap", "unwrap-direct", "unwrap-heap"};
        for (int block = 0; block < BLOCKS; block++) {
            for (String way : ways) {
                long cpu = 0;
                long allocated = 0;
                for (int i = 0; i < iterations; i++) {
                    ByteBuffer[] app = {ByteBuffer.wrap(payload)};
                    if (way.startsWith("unwrap")) {
                        client.wrap(app, 0, 1);
                        wire.clear().put(client.networkOutput()).flip();
                        client.consumed();
                    }
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long allocated0 = threads.getCurrentThreadAllocatedBytes();
                    switch (way) {
                        case "wrap-whole" -> {
                            server.wrap(app, 0, 1);
                            socket.clear().put(server.networkOutput());
                            server.consumed();
                        }
                        case "wrap-rounds-direct" -> {
                            while (app[0].hasRemaining()) {
                                server.wrap(app, 0, 1, direct.clear());
                            }
                        }
                        case "wrap-rounds-heap" -> {
                            while (app[0].hasRemaining()) {
                                server.wrap(app, 0, 1, heap.clear());
                                socket.clear().put(heap.flip());
                            }
                        }
                        case "unwrap-direct" -> unwrapAll(wire, netDirect, socket);
                        default -> unwrapAll(wire, netHeap, socket);
                    }
                    cpu += threads.getCurrentThreadCpuTime() - cpu0;
                    allocated += threads.getCurrentThreadAllocatedBytes() - allocated0;
                }
                if (block >= WARM_BLOCKS) {
                    System.out.printf("block=%d way=%s size=%d cpu_us_per_msg=%.2f alloc_bytes_per_msg=%.0f%n", block,
                            way, size, cpu / 1e3 / iterations, (double) allocated / iterations);
                }
            }
        }
    }

    /** Reads {@code wire} the way a loop does: a read buffer's worth at a time, each unwrapped until drained. */
    private void unwrapAll(ByteBuffer wire, ByteBuffer net, ByteBuffer socket) throws Exception {
        while (wire.hasRemaining()) {
            int n = Math.min(net.capacity(), wire.remaining());
            socket.clear().put(wire.slice(wire.position(), n)).flip(); // the kernel's copy to the JDK's buffer
            wire.position(wire.position() + n);
            net.clear().put(socket).flip(); // a heap read buffer pays this copy; a direct one is read into
            TlsEngine.Status status;
            do {
                status = server.unwrap(net, scratch.clear());
            } while (status == TlsEngine.Status.OK);
        }
    }

    private static void move(TlsEngine from, TlsEngine to) throws Exception {
        ByteBuffer out = from.networkOutput();
        if (!out.hasRemaining()) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(out.remaining()).put(out).flip();
        from.consumed();
        ByteBuffer appOut = ByteBuffer.allocate(64 << 10);
        while (to.unwrap(copy, appOut.clear()) == TlsEngine.Status.OK) {
            // drain: the handshake carries no application data
        }
    }

    /** The bench's certificate is self-signed: this client trusts any. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
