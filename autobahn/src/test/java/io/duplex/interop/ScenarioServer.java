package io.duplex.interop;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Our side of {@link Scenario} as the server: echoes data messages, obeys the {@code cmd:} messages, and
 * logs what it observed in the transcript format. Shared by every connection; runs on the event loops.
 */
final class ScenarioServer implements WebSocketHandler {

    final LineLog log = new LineLog();

    @Override
    public void onText(WebSocket socket, String text) {
        if (text.startsWith(Scenario.PING_COMMAND)) {
            String payload = text.substring(Scenario.PING_COMMAND.length());
            socket.sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
        } else if (text.equals(Scenario.TERMINATE_COMMAND)) {
            socket.abort();
        } else if (text.startsWith(Scenario.CLOSE_COMMAND)) {
            String[] args = text.substring(Scenario.CLOSE_COMMAND.length()).split(" ", 2);
            socket.close(Integer.parseInt(args[0]), args.length > 1 ? args[1] : "");
        } else {
            log.add("RECV TEXT " + Payloads.utf8Length(text) + (Payloads.isText(text) ? " OK" : " BAD"));
            socket.sendText(text);
        }
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        log.add("RECV BINARY " + data.remaining() + (Payloads.isBinary(data) ? " OK" : " BAD"));
        socket.sendBinary(data);
    }

    @Override
    public void onPong(WebSocket socket, ByteBuffer payload) {
        String text = StandardCharsets.UTF_8.decode(payload).toString();
        log.add("SERVER-PONG " + text);
        socket.sendText(Scenario.PONG_RECEIVED + text);
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        log.add("ERROR " + error);
    }

    @Override
    public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
        log.add("CLOSE " + status.code() + " " + status.reason() + (clean ? "" : " (UNCLEAN)"));
    }
}
