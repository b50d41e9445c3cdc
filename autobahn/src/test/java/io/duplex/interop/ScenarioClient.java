package io.duplex.interop;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.WebSocketClient;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Our side of {@link Scenario} as the client, driving a peer's server from the test thread: each callback is
 * queued as an event and the script awaits them in order, with a bounded wait for each.
 */
final class ScenarioClient {

    private static final long STEP_TIMEOUT_SECONDS = 20;

    private final WebSocketClient client;
    final LineLog log = new LineLog();

    ScenarioClient(WebSocketClient client) {
        this.client = client;
    }

    /** Runs the whole script against {@code uri}; a failed step is logged and ends the run. */
    void run(URI uri) throws Exception {
        try {
            firstConnection(uri);
            secondConnection(uri);
            log.add("DONE");
        } catch (StepFailed e) {
            log.add("FAIL " + e.getMessage());
        }
    }

    private void firstConnection(URI uri) throws Exception {
        Events events = new Events();
        WebSocket ws = client.connect(uri, events).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (int n : Payloads.SIZES) {
            String text = Payloads.text(n);
            ws.sendText(text);
            Object echo = events.nextData();
            log.add("TEXT " + n + (text.equals(echo) ? " OK" : " BAD " + describe(echo)));
        }
        for (int n : Payloads.SIZES) {
            byte[] data = Payloads.binary(n);
            ws.sendBinary(ByteBuffer.wrap(data));
            Object echo = events.nextData();
            boolean same = echo instanceof byte[] b && Arrays.equals(b, data);
            log.add("BINARY " + n + (same ? " OK" : " BAD " + describe(echo)));
        }
        ws.sendPing(utf8(Scenario.CLIENT_PING));
        Object pong = events.nextData();
        log.add(pong instanceof Pong p ? "PONG " + p.payload : "PONG BAD " + describe(pong));
        ws.sendText(Scenario.PING_COMMAND + Scenario.SERVER_PING);
        Object ack = events.nextData();
        log.add(ack.equals(Scenario.PONG_RECEIVED + Scenario.SERVER_PING)
                ? "SERVER-PONG " + Scenario.SERVER_PING
                : "SERVER-PONG BAD " + describe(ack));
        ws.close(Scenario.CLIENT_CLOSE_CODE, Scenario.CLIENT_CLOSE_REASON);
        log.add(closeLine("CLOSE ", events.next()));
    }

    private void secondConnection(URI uri) throws Exception {
        Events events = new Events();
        WebSocket ws = client.connect(uri, events).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ws.sendText(Scenario.CLOSE_COMMAND + Scenario.SERVER_CLOSE_CODE + " " + Scenario.SERVER_CLOSE_REASON);
        log.add(closeLine("SERVER-CLOSE ", events.next()));
    }

    private static String closeLine(String prefix, Object event) throws StepFailed {
        if (!(event instanceof Closed c)) {
            throw new StepFailed("expected a close, got " + describe(event));
        }
        return prefix + c.status.code() + " " + c.status.reason() + (c.clean ? "" : " (UNCLEAN)");
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(Object event) {
        if (event instanceof String s) {
            return "text of " + Payloads.utf8Length(s) + " bytes";
        }
        if (event instanceof byte[] b) {
            return "binary of " + b.length + " bytes";
        }
        return String.valueOf(event);
    }

    private record Pong(String payload) {
    }

    private record Closed(CloseStatus status, boolean clean) {
    }

    private record Failure(Throwable error) {
    }

    /** A step that cannot go on (for example the connection closed early). */
    private static final class StepFailed extends Exception {
        StepFailed(String message) {
            super(message);
        }
    }

    /** Turns the callbacks of one connection into a queue of String, byte[], Pong and Closed events. */
    private static final class Events implements WebSocketHandler {
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

        Object next() throws InterruptedException, StepFailed {
            Object event = queue.poll(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (event == null) {
                throw new StepFailed("no event within " + STEP_TIMEOUT_SECONDS + " s");
            }
            return event;
        }

        /** The next message or Pong; a close or an error ends the script here. */
        Object nextData() throws InterruptedException, StepFailed {
            Object event = next();
            if (event instanceof Closed || event instanceof Failure) {
                throw new StepFailed("connection ended early: " + event);
            }
            return event;
        }

        @Override
        public void onText(WebSocket socket, String text) {
            queue.add(text);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            queue.add(copy);
        }

        @Override
        public void onPong(WebSocket socket, ByteBuffer payload) {
            queue.add(new Pong(StandardCharsets.UTF_8.decode(payload).toString()));
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            queue.add(new Failure(error));
        }

        @Override
        public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
            queue.add(new Closed(status, clean));
        }
    }
}
