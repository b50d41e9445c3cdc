package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.internal.tls.SelfSignedCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's Close reaches a peer that is still sending when the server closes (RFC 6455 §7.1.1): the
 * connection keeps reading and discarding until the peer has read the Close and closed its side, instead of
 * closing with unread input, which makes the kernel reset the connection and discard the queued Close.
 *
 * <p>The peer here sends several MiB without reading a byte, and only then reads: it must find whole frames,
 * the last a Close with the server's code, then a clean end of stream (no reset, over TLS no EOF mid-record).
 */
class LingeringCloseTest extends LoopbackFixture {

    private static final int FRAME = 64 << 10;
    /** What the peer sends before it reads anything: far more than the socket buffers hold. */
    private static final int SENT = 8 << 20;
    private static final SelfSignedCertificates CERTS = SelfSignedCertificates.localhost();

    private static final WebSocketHandler ECHO = new WebSocketHandler() {
        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }
    };

    /**
     * Answers each message with four copies: 32 MiB for the peer's 8 MiB, more than loopback's socket buffers
     * hold (they took all of an 8 MiB echo in some runs), so the outbound limit is sure to be reached.
     */
    private static final WebSocketHandler ECHO_FOUR_TIMES = new WebSocketHandler() {
        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            for (int i = 0; i < 4; i++) {
                socket.sendBinary(ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip());
            }
        }
    };

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void overflowCloseReachesAPeerThatKeepsSending(boolean tls) throws Exception {
        WebSocketServer server = server(b -> {
            b.handler(ECHO_FOUR_TIMES).maxBufferedBytes(FRAME);
            if (tls) {
                b.tls(CERTS.serverContext());
            }
        });
        try (RawClient peer = connect(server, tls)) {
            byte[] payload = new byte[FRAME];
            Throwable sendFailure = sendWithoutReading(peer, () -> {
                for (int sent = 0; sent < SENT; sent += FRAME) {
                    peer.send(RawClient.frame(0x2, payload));
                }
            });
            assertNull(sendFailure, "the server must not reset a peer that is still sending");
            List<RawClient.Frame> frames = readUntilClose(peer);
            RawClient.Frame close = frames.get(frames.size() - 1);
            assertEquals(CloseStatus.TRY_AGAIN_LATER, close.closeCode(), "the overflow's close code");
            for (RawClient.Frame f : frames.subList(0, frames.size() - 1)) {
                assertEquals(0x2, f.opcode(), "only echoes precede the Close");
                assertEquals(FRAME, f.payload().length, "echoes are whole");
            }
            assertEquals(-1, peer.in.read(), "the server closes the stream cleanly after its Close");
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void protocolErrorCloseReachesAPeerThatKeepsSending(boolean tls) throws Exception {
        WebSocketServer server = server(b -> {
            b.handler(ECHO);
            if (tls) {
                b.tls(CERTS.serverContext());
            }
        });
        try (RawClient peer = connect(server, tls)) {
            byte[] bad = RawClient.frame(0x2, new byte[4]);
            bad[0] |= 0x40; // RSV1 without an extension that defines it: a protocol error (§5.2)
            byte[] junk = RawClient.frame(0x2, new byte[FRAME]);
            Throwable sendFailure = sendWithoutReading(peer, () -> {
                peer.send(bad);
                for (int sent = 0; sent < SENT; sent += FRAME) {
                    peer.send(junk);
                }
            });
            assertNull(sendFailure, "the server must not reset a peer that is still sending");
            List<RawClient.Frame> frames = readUntilClose(peer);
            assertEquals(1, frames.size(), "nothing but the Close: " + frames);
            assertEquals(CloseStatus.PROTOCOL_ERROR, frames.get(0).closeCode());
            assertEquals(-1, peer.in.read(), "the server closes the stream cleanly after its Close");
        }
    }

    @Test
    void pastTheDrainLimitTheCloseTimeoutEndsTheConnection() throws Exception {
        WebSocketServer server = server(b -> b.handler(ECHO).closeDrainLimit(FRAME)
                .closeTimeout(java.time.Duration.ofMillis(500)));
        try (RawClient peer = connect(server, false)) {
            byte[] bad = RawClient.frame(0x2, new byte[4]);
            bad[0] |= 0x40;
            byte[] junk = RawClient.frame(0x2, new byte[FRAME]);
            CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    peer.send(bad);
                    for (int sent = 0; sent < SENT; sent += FRAME) {
                        peer.send(junk);
                    }
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            // The server stops reading past the limit, so the peer's sends back up until the close timeout.
            eventually(() -> server.connectionCount() == 0, "the close timeout to end the connection");
            Throwable sendFailure = outcome.get(20, TimeUnit.SECONDS);
            assertTrue(sendFailure instanceof IOException, "the peer's sends fail once the server is gone: " + sendFailure);
        }
    }

    /** A raw peer with a small receive buffer, upgraded; over TLS when {@code tls}. */
    private static RawClient connect(WebSocketServer server, boolean tls) throws IOException {
        Socket plain = new Socket();
        plain.setReceiveBufferSize(16 << 10);
        plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        Socket s = plain;
        if (tls) {
            SSLSocket ssl = (SSLSocket) CERTS.clientContext().getSocketFactory()
                    .createSocket(plain, "localhost", server.port(), true);
            ssl.startHandshake();
            s = ssl;
        }
        RawClient peer = new RawClient(s);
        String head = peer.upgrade();
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        return peer;
    }

    interface Sending {
        void run() throws IOException;
    }

    /**
     * Runs {@code sending} on another thread, so a server that stops reading (and so blocks the peer's
     * writes) fails the test instead of hanging it; returns what the sending threw, or null.
     */
    private static Throwable sendWithoutReading(RawClient peer, Sending sending) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                sending.run();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        }, "peer-sender");
        t.setDaemon(true);
        t.start();
        try {
            return outcome.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            peer.socket.close(); // unblocks the sender
            return fail("the peer could not send " + SENT + " bytes in 30 s: the server stopped reading");
        }
    }

    /** Reads frames through the first Close; every frame must be whole. */
    private static List<RawClient.Frame> readUntilClose(RawClient peer) throws IOException {
        List<RawClient.Frame> frames = new ArrayList<>();
        while (true) {
            RawClient.Frame f = peer.readFrame();
            frames.add(f);
            if (f.opcode() == 0x8) {
                return frames;
            }
        }
    }
}
