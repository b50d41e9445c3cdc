package io.duplex.nio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP CONNECT proxy for tests (RFC 9110 §9.3.6), on blocking sockets: reads the request head, may
 * demand Basic credentials (407), then opens TCP to the requested port on the loopback address — whatever
 * host the request names, so tests can use names only the "proxy" knows — answers 200 and pipes bytes both
 * ways with two threads. {@link Mode#STALL} never answers; {@link Mode#HANG_UP} closes after the request;
 * {@link Mode#SCRIPT} writes fixed bytes in one go and closes.
 */
final class ConnectProxy implements AutoCloseable {

    enum Mode { TUNNEL, STALL, HANG_UP, SCRIPT }

    private final ServerSocket server;
    private final Mode mode;
    private final String requiredAuthorization;
    private final byte[] script;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** The request heads received, in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** @param requiredAuthorization the {@code Proxy-Authorization} value to demand, or null for none */
    ConnectProxy(Mode mode, String requiredAuthorization) throws IOException {
        this(mode, requiredAuthorization, null);
    }

    /** A proxy that answers every request with {@code script} (answer and tunnel bytes in one write), then closes. */
    ConnectProxy(byte[] script) throws IOException {
        this(Mode.SCRIPT, null, script);
    }

    private ConnectProxy(Mode mode, String requiredAuthorization, byte[] script) throws IOException {
        this.mode = mode;
        this.requiredAuthorization = requiredAuthorization;
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "test-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread t = new Thread(() -> serve(client), "test-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try {
            String head = readHead(client.getInputStream());
            requests.add(head);
            OutputStream out = client.getOutputStream();
            if (mode == Mode.STALL) {
                return; // the socket stays open, unanswered, until close()
            }
            if (mode == Mode.HANG_UP) {
                client.close();
                return;
            }
            if (mode == Mode.SCRIPT) {
                out.write(script);
                out.flush();
                client.close();
                return;
            }
            if (requiredAuthorization != null && !head.contains("\r\nProxy-Authorization: " + requiredAuthorization + "\r\n")) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\n"
                        + "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                client.close();
                return;
            }
            String target = head.substring("CONNECT ".length(), head.indexOf(' ', "CONNECT ".length()));
            int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port);
            sockets.add(upstream);
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            pipe(upstream, client);
            pipe(client, upstream);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
        }
    }

    /** Reads byte by byte up to the blank line, so no tunnel byte is taken from the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF in the request head");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 << 10];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(to);
                closeQuietly(from);
            }
        }, "test-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
