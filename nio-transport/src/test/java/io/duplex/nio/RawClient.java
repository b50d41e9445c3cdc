package io.duplex.nio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately misbehaving peer on a blocking {@link Socket}: sends exactly the bytes a test scripts
 * (half a request, half a frame) and reads only when told to.
 */
final class RawClient implements AutoCloseable {

    static final String UPGRADE = "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawClient(int port) throws IOException {
        this(port, 0);
    }

    /** @param receiveBuffer SO_RCVBUF to ask for (0: the default), small to make a slow reader */
    RawClient(int port, int receiveBuffer) throws IOException {
        this(connected(port, receiveBuffer));
    }

    /** A peer speaking TLS (wss://) through {@code context}, with the given SO_RCVBUF (0: the default). */
    static RawClient tls(int port, int receiveBuffer, javax.net.ssl.SSLContext context) throws IOException {
        Socket tcp = connected(port, receiveBuffer);
        javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket(tcp, "localhost", port, true);
        tls.startHandshake();
        return new RawClient(tls);
    }

    private static Socket connected(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        return s;

    }

    /** Over a socket the test connected (and perhaps wrapped in TLS) itself. */
    RawClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads the response's header block (through the blank line) and returns it. */
    String readResponseHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in response head: " + head);
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Completes the opening handshake and returns the response head. */
    String upgrade() throws IOException {
        send(UPGRADE);
        return readResponseHead();
    }

    /** Reads until the server closes the stream; returns the bytes read. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** A masked client frame (RFC 6455 §5.2) with mask key 0x01020304; {@code length} may exceed the payload sent. */
    static byte[] frameHeader(int opcode, boolean fin, long length) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | opcode);
        if (length <= 125) {
            b.write(0x80 | (int) length);
        } else if (length <= 0xFFFF) {
            b.write(0x80 | 126);
            b.write((int) (length >> 8));
            b.write((int) length);
        } else {
            b.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) (length >> (8 * i)));
            }
        }
        b.write(1);
        b.write(2);
        b.write(3);
        b.write(4);
        return b.toByteArray();
    }

    /** A whole masked frame. */
    static byte[] frame(int opcode, byte[] payload) {
        byte[] h = frameHeader(opcode, true, payload.length);
        byte[] f = new byte[h.length + payload.length];
        System.arraycopy(h, 0, f, 0, h.length);
        for (int i = 0; i < payload.length; i++) {
            f[h.length + i] = (byte) (payload[i] ^ (i % 4 + 1));
        }
        return f;
    }

    /** Resets the connection (SO_LINGER 0) rather than closing it gracefully. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An unmasked server frame. */
    record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    /** Reads one server frame (§5.2), which must be unmasked (§5.1). */
    Frame readFrame() throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new IOException("end of stream before a frame");
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frames must not be masked (§5.1)");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            len = new java.io.DataInputStream(in).readLong();
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length < len) {
            throw new java.io.EOFException("end of stream inside a frame: " + payload.length + " of " + len + " bytes");
        }
        return new Frame(b0 & 0x0F, payload);
    }
}
