package io.duplex.autobahn;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;

/**
 * What both Autobahn roles expect of a testee: every text or binary message goes back unchanged, as one
 * message. Pings are answered by the session itself, so nothing else needs overriding.
 */
final class EchoHandler implements WebSocketHandler {

    @Override
    public void onText(WebSocket socket, String text) {
        socket.sendText(text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        socket.sendBinary(data);
    }
}
