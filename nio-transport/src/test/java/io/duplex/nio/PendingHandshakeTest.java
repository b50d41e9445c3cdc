package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplex.core.WebSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Idle sockets cannot lock real clients out: a connection accepted at the pending-handshake cap is admitted
 * and the oldest pending one dropped; one source address can only push out its own; and connections accepted
 * while many are pending get a shorter handshake deadline.
 */
class PendingHandshakeTest extends LoopbackFixture {

    private final List<Socket> silent = new ArrayList<>();

    private static final Recorder ECHO = new Recorder() {
        @Override
        public void onText(WebSocket socket, String text) {
            socket.sendText(text);
        }
    };

    @Test
    void aFullCapOfSilentSocketsDoesNotLockOutARealClient() throws Exception {
        int cap = 1024; // the default
        // No shorter deadline under load here: every silent socket must still be pending when the client comes.
        WebSocketServer server = server(b -> b.handler(ECHO).handshakeTimeout(Duration.ofSeconds(60))
                .handshakeTimeoutUnderLoad(Duration.ofSeconds(60)));
        Socket oldest = silent("127.0.1.1", server);
        eventually(() -> server.pendingHandshakeCount() == 1, "the oldest to be pending");
        for (int i = 1; i < cap; i++) {
            // 128 a source, under the default per-address cap (256): only the global cap is reached.
            silent("127.0.1." + (1 + i / 128), server);
        }
        eventually(() -> server.pendingHandshakeCount() == cap, "the cap to fill with silent sockets");

        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide);
        client.sendText("still served");
        assertEquals("still served", clientSide.nextMessage());
        assertEquals(-1, readWithin(oldest, 10_000), "the oldest pending handshake made room");
        assertStillOpen(silent.get(1));
        assertStillOpen(silent.get(cap - 1));
        client.close();
        clientSide.awaitClose();
    }

    @Test
    void oneAddressCanOnlyPushOutItsOwnPendingHandshakes() throws Exception {
        WebSocketServer server = server(b -> b.handler(ECHO).maxPendingHandshakesPerAddress(3));
        Socket otherSource = silent("127.0.1.1", server);
        eventually(() -> server.pendingHandshakeCount() == 1, "the other source's socket to be pending");
        Socket first = silent("127.0.0.1", server);
        eventually(() -> server.pendingHandshakeCount() == 2, "the first from 127.0.0.1 to be pending");
        Socket second = silent("127.0.0.1", server);
        eventually(() -> server.pendingHandshakeCount() == 3, "the second from 127.0.0.1 to be pending");
        silent("127.0.0.1", server);
        eventually(() -> server.pendingHandshakeCount() == 4, "three pending from 127.0.0.1");

        silent("127.0.0.1", server);
        assertEquals(-1, readWithin(first, 10_000), "127.0.0.1's oldest made room for its fourth");
        Recorder clientSide = new Recorder();
        WebSocket client = connect(server, clientSide); // from 127.0.0.1 too
        client.sendText("served");
        assertEquals("served", clientSide.nextMessage());
        assertEquals(-1, readWithin(second, 10_000), "and its next oldest for the client");
        assertStillOpen(otherSource);
        client.close();
        clientSide.awaitClose();
    }

    @Test
    void connectionsAcceptedUnderLoadGetTheShorterHandshakeDeadline() throws Exception {
        WebSocketServer server = server(b -> b.handler(ECHO).maxPendingHandshakes(4)
                .handshakeTimeout(Duration.ofSeconds(60)).handshakeTimeoutUnderLoad(Duration.ofMillis(200)));
        Socket s1 = silent("127.0.0.1", server);
        // Pending from the moment the connection's own loop admits it, which may come after the accept counts it.
        eventually(() -> server.pendingHandshakeCount() == 1, "one pending");
        Socket s2 = silent("127.0.0.1", server);
        eventually(() -> server.pendingHandshakeCount() == 2, "two pending: half the cap");
        Socket s3 = silent("127.0.0.1", server);
        assertEquals(-1, readWithin(s3, 30_000), "accepted under load: dropped at the short deadline");
        assertStillOpen(s1);
        assertStillOpen(s2);
        assertEquals(2, server.connectionCount());
    }

    private Socket silent(String localAddress, WebSocketServer server) throws IOException {
        Socket s = new Socket();
        silent.add(s);
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        return s;
    }

    private static int readWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        return s.getInputStream().read();
    }

    private static void assertStillOpen(Socket s) throws IOException {
        s.setSoTimeout(100);
        assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "still pending, not dropped");
    }

    @AfterEach
    void closeSilentSockets() throws IOException {
        for (Socket s : silent) {
            s.close();
        }
    }
}
