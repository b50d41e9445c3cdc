package io.duplex.examples;

import io.duplex.core.HandshakePolicy;
import io.duplex.core.Transport;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.core.engine.ServerHandshake;
import io.duplex.core.engine.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A conformant WebSocket echo server on plain blocking {@link java.net.Socket}s and {@code duplex-core} alone,
 * one thread per connection, with permessage-deflate offered: the proof that the core embeds without the NIO
 * transport, and the recipe {@code docs/embedding.md} describes.
 *
 * <p>Run: {@code ./mvnw -q -pl examples -am exec:java -Dexec.mainClass=io.duplex.examples.BlockingEchoServer
 * -Dexec.args=9002}
 */
public final class BlockingEchoServer {

    /** How long to wait for the peer after our Close before dropping TCP (RFC 6455 §7.1.1). */
    private static final int CLOSE_TIMEOUT_MILLIS = 5_000;

    private final ServerSocket listener;
    private final WebSocketConfig config;
    private final HandshakePolicy policy;

    /** Binds to {@code port} on the loopback interface (0 picks a free port). */
    public BlockingEchoServer(int port) throws IOException {
        this.listener = new ServerSocket();
        this.listener.bind(new InetSocketAddress("127.0.0.1", port));
        this.config = WebSocketConfig.builder().maxMessageSize(16 << 20).build();
        this.policy = HandshakePolicy.builder().handler(new Echo())
                .extensions(List.of(PerMessageDeflate.defaults())).build();
    }

    /** The bound port. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Accepts connections until {@link #close()}, each served on its own thread. */
    public void serve() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread t = new Thread(() -> serve(socket), "echo-" + socket.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("accept failed: " + e);
                }
            }
        }
    }

    /** Stops accepting. */
    public void close() throws IOException {
        listener.close();
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            ServerHandshake handshake = new ServerHandshake(config, policy);
            ServerHandshake.State state = ServerHandshake.State.NEED_MORE;
            while (state == ServerHandshake.State.NEED_MORE) {
                int n = in.read(buffer.array(), buffer.position(), buffer.remaining());
                if (n < 0) {
                    return;
                }
                buffer.position(buffer.position() + n).flip();
                state = handshake.receive(buffer);
                buffer.compact();
            }
            if (state == ServerHandshake.State.NOT_UPGRADE) {
                writeFully(out, ServerHandshake.upgradeRequiredResponse());
                return;
            }
            writeFully(out, handshake.response());
            if (state != ServerHandshake.State.ACCEPTED) {
                return;
            }
            SocketOutbound outbound = new SocketOutbound(socket, out);
            Session session = Session.server(handshake.result()).config(config).outbound(outbound).build();
            session.open();
            buffer.flip();
            session.receive(buffer); // frames that arrived right behind the request
            byte[] chunk = buffer.array();
            while (!outbound.closed) {
                int n;
                try {
                    n = in.read(chunk);
                } catch (SocketTimeoutException e) {
                    session.closeTimeoutExpired();
                    break;
                }
                if (n < 0) {
                    break;
                }
                session.receive(ByteBuffer.wrap(chunk, 0, n));
            }
            session.transportClosed(null);
        } catch (IOException e) {
            // The peer went away; the session, if any, has reported it.
        }
    }

    private static void writeFully(OutputStream out, ByteBuffer b) throws IOException {
        out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        b.position(b.limit());
        out.flush();
    }

    /** Writes frames with blocking socket writes; the close timeout rides on the socket's read timeout. */
    private static final class SocketOutbound implements Transport {
        private final Socket socket;
        private final OutputStream out;
        private final byte[] copy = new byte[64 * 1024];
        volatile boolean closed;

        SocketOutbound(Socket socket, OutputStream out) {
            this.socket = socket;
            this.out = out;
        }

        @Override
        public void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
            try {
                put(header);
                put(payload);
                out.flush();
                if (done != null) {
                    done.complete(null);
                }
            } catch (IOException e) {
                if (done != null) {
                    done.completeExceptionally(e);
                }
            }
        }

        private void put(ByteBuffer b) throws IOException {
            if (b.hasArray()) {
                out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                b.position(b.limit());
                return;
            }
            while (b.hasRemaining()) {
                int n = Math.min(b.remaining(), copy.length);
                b.get(copy, 0, n);
                out.write(copy, 0, n);
            }
        }

        @Override
        public void closeStarted() {
            try {
                socket.setSoTimeout(CLOSE_TIMEOUT_MILLIS);
            } catch (IOException ignored) {
                // The socket is already gone: the read loop ends by itself.
            }
        }

        @Override
        public void closeTransport() {
            closed = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing a broken socket has nothing left to report.
            }
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return (InetSocketAddress) socket.getRemoteSocketAddress();
        }
    }

    /** Sends every message back as it came. */
    private static final class Echo implements WebSocketHandler {
        @Override
        public void onText(WebSocket socket, String text) {
            socket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }
    }

    /** Starts the server on the port given as the first argument (default 9002). */
    public static void main(String[] args) throws IOException {
        BlockingEchoServer server = new BlockingEchoServer(args.length > 0 ? Integer.parseInt(args[0]) : 9002);
        System.out.println("Duplex core-only echo server listening on ws://127.0.0.1:" + server.port() + "/");
        server.serve();
    }
}
