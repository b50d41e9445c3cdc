package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;

/**
 * Plays the client against our server: an opening handshake checked against RFC 6455 §4.2.2, then masked
 * frames (§5.3) with keys from a seeded generator, so a failing run repeats exactly.
 */
final class RawClient extends RawPeer {

    private final Random random = new Random(6455);

    private RawClient(Socket socket, InputStream in) throws IOException {
        super(socket, in);
    }

    /**
     * Connects to 127.0.0.1:{@code port} and completes the opening handshake, writing {@code early} (frames,
     * already masked) in the same write as the request, before the response could have arrived.
     */
    static RawClient connect(int port, byte[] early) throws IOException {
        return connect(port, early, null);
    }

    /** As {@link #connect(int, byte[])}, offering {@code extensions} ({@code Sec-WebSocket-Extensions}) unless null. */
    static RawClient connect(int port, byte[] early, String extensions) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) PROMPT.toMillis());
            byte[] nonce = new byte[16];
            new Random(port).nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String request = "GET /conformance HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                    + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n") + "\r\n";
            socket.getOutputStream().write(FrameBytes.concat(request.getBytes(StandardCharsets.US_ASCII), early));
            InputStream in = buffered(socket);
            HttpHead response = HttpHead.read(in);
            assertTrue(response.startLine().startsWith("HTTP/1.1 101"), response::startLine);
            assertEquals("websocket", response.header("Upgrade").toLowerCase(Locale.ROOT));
            assertEquals("upgrade", response.header("Connection").toLowerCase(Locale.ROOT));
            assertEquals(SecWebSocketAccept.of(key), response.header("Sec-WebSocket-Accept"));
            RawClient peer = new RawClient(socket, in);
            peer.extensionsOffered = extensions == null ? "" : extensions;
            peer.extensionsAgreed = response.header("Sec-WebSocket-Extensions");
            return peer;
        } catch (IOException | RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    @Override
    byte[] nextMaskKey() {
        byte[] key = new byte[4];
        random.nextBytes(key);
        return key;
    }

    @Override
    boolean testeeMasks() {
        return false;
    }

    /**
     * The server closes TCP first, and promptly, once Close frames were exchanged (§7.1.1): well before its
     * close timeout ({@link Testee#SERVER_CLOSE_TIMEOUT}), so waiting out a timer is caught. Case 7.10.3
     * holds it to one second; here the bound leaves room for a loaded CI machine.
     */
    @Override
    void finishClose() throws IOException {
        expectTcpClosed(FAIL_WITHIN);
    }
}
