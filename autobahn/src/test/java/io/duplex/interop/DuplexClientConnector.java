package io.duplex.interop;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.WebSocketClient;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Our {@link WebSocketClient} as the client of {@link ScenarioClient}. */
record DuplexClientConnector(WebSocketClient client) implements ScenarioClient.Connector {

    @Override
    public ScenarioClient.Link connect(URI uri, ClientEvents events) throws Exception {
        WebSocket ws = client.connect(uri, new Callbacks(events))
                .get(ClientEvents.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new ScenarioClient.Link() {
            @Override
            public void sendText(String text) {
                ws.sendText(text);
            }

            @Override
            public void sendBinary(byte[] data) {
                ws.sendBinary(ByteBuffer.wrap(data));
            }

            @Override
            public void sendText(List<String> parts) {
                for (int i = 0; i < parts.size(); i++) {
                    ws.sendText(parts.get(i), i == parts.size() - 1);
                }
            }

            @Override
            public void sendBinary(List<byte[]> parts) {
                for (int i = 0; i < parts.size(); i++) {
                    ws.sendBinary(ByteBuffer.wrap(parts.get(i)), i == parts.size() - 1);
                }
            }

            @Override
            public void sendPing(String payload) {
                ws.sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
            }

            @Override
            public void abort() {
                ws.abort();
            }

            @Override
            public void close(int code, String reason) {
                ws.close(code, reason);
            }
        };
    }

    /** Queues what a connection receives, for a script to take in order. */
    record Callbacks(ClientEvents events) implements WebSocketHandler {
        @Override
        public void onText(WebSocket socket, String text) {
            events.add(text);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            events.add(copy);
        }

        @Override
        public void onPong(WebSocket socket, ByteBuffer payload) {
            events.add(new ClientEvents.Pong(StandardCharsets.UTF_8.decode(payload).toString()));
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            events.add(new ClientEvents.Failure(error));
        }

        @Override
        public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
            events.add(new ClientEvents.Closed(status.code(), status.reason(), clean));
        }
    }
}
