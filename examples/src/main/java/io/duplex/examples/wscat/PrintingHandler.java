package io.duplex.examples.wscat;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;

/** Prints each message received, in client and listen mode alike; runs on the event loop. */
abstract class PrintingHandler implements WebSocketHandler {

    final Output output;

    PrintingHandler(Output output) {
        this.output = output;
    }

    @Override
    public void onText(WebSocket socket, String text) {
        output.text(text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        output.binary(data);
    }

    /** "closed 1000" and the reason if there is one. */
    static String closed(CloseStatus status) {
        return "closed " + status.code() + (status.reason().isEmpty() ? "" : " " + status.reason());
    }
}
