package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Plays the server against our client: accepts it, checks its opening request (RFC 6455 §4.1), answers 101
 * with an accept key computed here, then sends unmasked frames and expects masked ones (§5.1).
 */
final class RawServer extends RawPeer {

    private RawServer(Socket socket, InputStream in) throws IOException {
        super(socket, in);
    }

    /**
     * Accepts one connection on {@code listener} and completes the opening handshake, writing {@code early}
     * (frames) in the same write as the 101 response.
     */
    static RawServer accept(ServerSocket listener, Duration within, byte[] early) throws IOException {
        return accept(listener, within, early, offer -> "");
    }

    /**
     * As {@link #accept(ServerSocket, Duration, byte[])}, answering the client's {@code Sec-WebSocket-Extensions}
     * offer (empty when it made none) with what {@code answer} returns (empty: no such header).
     */
    static RawServer accept(ServerSocket listener, Duration within, byte[] early, UnaryOperator<String> answer)
            throws IOException {
        listener.setSoTimeout((int) within.toMillis());
        Socket socket = listener.accept();
        try {
            socket.setSoTimeout((int) PROMPT.toMillis());
            InputStream in = buffered(socket);
            HttpHead request = HttpHead.read(in);
            assertTrue(request.startLine().startsWith("GET ") && request.startLine().endsWith(" HTTP/1.1"),
                    request::startLine);
            assertEquals("websocket", request.header("Upgrade").toLowerCase(Locale.ROOT));
            assertTrue(request.header("Connection").toLowerCase(Locale.ROOT).contains("upgrade"));
            assertEquals("13", request.header("Sec-WebSocket-Version"));
            assertFalse(request.header("Host").isEmpty(), "Host header (§4.1 item 4)");
            String key = request.header("Sec-WebSocket-Key");
            assertEquals(16, Base64.getDecoder().decode(key).length, "a 16-byte nonce (§4.1 item 7)");
            String offered = request.header("Sec-WebSocket-Extensions");
            String agreed = answer.apply(offered);
            String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + SecWebSocketAccept.of(key) + "\r\n"
                    + (agreed.isEmpty() ? "" : "Sec-WebSocket-Extensions: " + agreed + "\r\n") + "\r\n";
            socket.getOutputStream().write(FrameBytes.concat(response.getBytes(StandardCharsets.US_ASCII), early));
            RawServer peer = new RawServer(socket, in);
            peer.extensionsOffered = offered;
            peer.extensionsAgreed = agreed;
            return peer;
        } catch (IOException | RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    @Override
    byte[] nextMaskKey() {
        return null;
    }

    @Override
    boolean testeeMasks() {
        return true;
    }

    /** As the server, we drop TCP first (§7.1.1). */
    @Override
    void finishClose() throws IOException {
        close();
    }
}
