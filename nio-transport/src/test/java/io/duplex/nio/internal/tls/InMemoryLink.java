package io.duplex.nio.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * A client and a server {@link TlsEngine} joined by memory instead of a socket: each side's network output
 * is fed to the other's {@link TlsEngine#unwrap}, optionally in small chunks, and decrypted bytes are
 * collected per side.
 */
final class InMemoryLink {

    final TlsEngine client;
    final TlsEngine server;
    final ByteArrayOutputStream clientReceived = new ByteArrayOutputStream();
    final ByteArrayOutputStream serverReceived = new ByteArrayOutputStream();
    /** Network bytes are delivered at most this many at a time. */
    int chunk = Integer.MAX_VALUE;
    /** The caller-owned application buffer; tests swap in small, direct or offset ones. */
    ByteBuffer appOut;
    TlsEngine.Status clientStatus;
    TlsEngine.Status serverStatus;

    InMemoryLink(TlsEngine client, TlsEngine server) {
        this.client = client;
        this.server = server;
        this.appOut = ByteBuffer.allocate(client.applicationBufferSize());
    }

    /** TLS 1.3 or 1.2 (as the client context allows) to a server presenting the localhost certificate. */
    static InMemoryLink localhost(SSLContext clientContext) {
        SSLContext serverContext = SelfSignedCertificates.localhost().serverContext();
        return new InMemoryLink(TlsEngine.client(clientContext, "localhost", 443), TlsEngine.server(serverContext));
    }

    static InMemoryLink localhost() {
        return localhost(SelfSignedCertificates.localhost().clientContext());
    }

    /** Runs the handshake to completion and drains every handshake byte in flight. */
    InMemoryLink handshake() throws SSLException {
        client.begin();
        server.begin();
        for (int round = 0; round < 20; round++) {
            if (!pump() && client.handshakeDone() && server.handshakeDone()) {
                return this;
            }
        }
        throw new AssertionError("handshake did not finish in 20 round trips");
    }

    /** Moves pending bytes both ways once; true if any moved. */
    boolean pump() throws SSLException {
        boolean moved = clientToServer();
        moved |= serverToClient();
        return moved;
    }

    boolean clientToServer() throws SSLException {
        return transfer(client, server, serverReceived, true);
    }

    boolean serverToClient() throws SSLException {
        return transfer(server, client, clientReceived, false);
    }

    /** Pumps until nothing moves. */
    void settle() throws SSLException {
        for (int round = 0; pump(); round++) {
            assertTrue(round < 1000, "link did not settle");
        }
    }

    private boolean transfer(TlsEngine from, TlsEngine to, ByteArrayOutputStream sink, boolean toServer)
            throws SSLException {
        ByteBuffer out = from.networkOutput();
        if (!out.hasRemaining()) {
            return false;
        }
        while (out.hasRemaining()) {
            int n = Math.min(chunk, out.remaining());
            ByteBuffer piece = out.slice(out.position(), n);
            out.position(out.position() + n);
            TlsEngine.Status s = deliver(to, piece, sink);
            if (toServer) {
                serverStatus = s;
            } else {
                clientStatus = s;
            }
        }
        from.consumed();
        return true;
    }

    /** Feeds {@code piece} to {@code to} the way an event loop would, collecting what it decrypts. */
    TlsEngine.Status deliver(TlsEngine to, ByteBuffer piece, ByteArrayOutputStream sink) throws SSLException {
        TlsEngine.Status s;
        int calls = 0;
        do {
            assertTrue(++calls < 10_000_000, "unwrap keeps returning OK");
            appOut.clear();
            s = to.unwrap(piece, appOut);
            appOut.flip();
            byte[] bytes = new byte[appOut.remaining()];
            appOut.get(bytes);
            sink.write(bytes, 0, bytes.length);
        } while (s == TlsEngine.Status.OK);
        if (s == TlsEngine.Status.NEED_MORE_INPUT) {
            assertFalse(piece.hasRemaining(), "NEED_MORE_INPUT with unconsumed input");
        }
        return s;
    }

    /** Sends {@code data} from {@code from} and checks that the other side receives exactly it. */
    void sendAndCheck(TlsEngine from, byte[] data) throws SSLException {
        ByteArrayOutputStream sink = from == client ? serverReceived : clientReceived;
        sink.reset();
        from.wrap(ByteBuffer.wrap(data));
        settle();
        assertEquals(data.length, sink.size());
        assertTrue(java.util.Arrays.equals(data, sink.toByteArray()), "received bytes differ from sent bytes");
    }
}
