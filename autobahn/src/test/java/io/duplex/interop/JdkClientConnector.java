package io.duplex.interop;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code java.net.http.WebSocket} as the client of {@link ScenarioClient}. Each send waits for the
 * previous one, as that API requires; the JDK answers Pings by itself and echoes a received Close's code.
 */
record JdkClientConnector(HttpClient http) implements ScenarioClient.Connector {

    @Override
    public ScenarioClient.Link connect(URI uri, ClientEvents events) throws Exception {
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener(events)).get(ClientEvents.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new ScenarioClient.Link() {
            @Override
            public void sendText(String text) throws Exception {
                await(ws.sendText(text, true));
            }

            @Override
            public void sendBinary(byte[] data) throws Exception {
                await(ws.sendBinary(ByteBuffer.wrap(data), true));
            }

            @Override
            public void sendText(List<String> parts) throws Exception {
                for (int i = 0; i < parts.size(); i++) {
                    await(ws.sendText(parts.get(i), i == parts.size() - 1));
                }
            }

            @Override
            public void sendBinary(List<byte[]> parts) throws Exception {
                for (int i = 0; i < parts.size(); i++) {
                    await(ws.sendBinary(ByteBuffer.wrap(parts.get(i)), i == parts.size() - 1));
                }
            }

            @Override
            public void sendPing(String payload) throws Exception {
                await(ws.sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8))));
            }

            @Override
            public void abort() {
                ws.abort();
            }

            @Override
            public void close(int code, String reason) throws Exception {
                await(ws.sendClose(code, reason));
            }
        };
    }

    private static void await(CompletionStage<?> send) throws Exception {
        send.toCompletableFuture().get(ClientEvents.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Joins each message's parts and queues whole messages; asks for one event at a time. */
    private static final class Listener implements WebSocket.Listener {
        private final ClientEvents events;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        Listener(ClientEvents events) {
            this.events = events;
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                events.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            events.add(new ClientEvents.Pong(StandardCharsets.UTF_8.decode(message).toString()));
            ws.request(1);
            return null;
        }

        /**
         * The JDK calls this when a Close frame arrived, so the peer did its part of the close handshake, or
         * with 1006 when the connection was lost without one.
         */
        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            boolean clean = statusCode != io.duplex.core.CloseStatus.ABNORMAL_CLOSURE;
            events.add(new ClientEvents.Closed(statusCode, reason, clean));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.add(new ClientEvents.Failure(error));
        }
    }
}
