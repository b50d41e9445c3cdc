package io.duplex.interop;

import io.duplex.interop.ClientEvents.Closed;
import io.duplex.interop.ClientEvents.Pong;
import io.duplex.interop.ClientEvents.StepFailed;
import io.duplex.interop.Scenario.ClientApi;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client's side of {@link Scenario}, written once over a small {@link Link} so that it drives our client
 * and the JDK's alike, from the test thread, logging the transcript.
 */
final class ScenarioClient {

    /** A client API's sends on one open connection. */
    interface Link {
        void sendText(String text) throws Exception;

        void sendBinary(byte[] data) throws Exception;

        /** Sends one text message in these parts, one frame or more each. */
        void sendText(List<String> parts) throws Exception;

        /** Sends one binary message in these parts, one frame or more each. */
        void sendBinary(List<byte[]> parts) throws Exception;

        void sendPing(String payload) throws Exception;

        void close(int code, String reason) throws Exception;

        /** Drops the connection without a Close. */
        void abort() throws Exception;
    }

    /** Opens a connection whose callbacks feed {@code events}; returns once it is open. */
    interface Connector {
        Link connect(URI uri, ClientEvents events) throws Exception;
    }

    private final Connector connector;
    private final ClientApi api;
    final LineLog log = new LineLog();

    ScenarioClient(Connector connector, ClientApi api) {
        if (api.closesWithoutCode()) {
            throw new IllegalArgumentException("the Java client APIs always send a status code: " + api);
        }
        this.connector = connector;
        this.api = api;
    }

    /** Runs the whole script against {@code uri}; a step that cannot go on is logged and ends the run. */
    void run(URI uri) throws Exception {
        try {
            firstConnection(uri);
            secondConnection(uri);
            serverTerminates(uri);
            if (api.aborts()) {
                clientAborts(uri);
            }
            log.add("DONE");
        } catch (StepFailed e) {
            log.add("FAIL " + e.getMessage());
        }
    }

    private void firstConnection(URI uri) throws Exception {
        ClientEvents events = new ClientEvents();
        Link link = connector.connect(uri, events);
        for (int n : Payloads.SIZES) {
            String text = Payloads.text(n);
            link.sendText(text);
            Object echo = events.nextData();
            log.add("TEXT " + n + (text.equals(echo) ? " OK" : " BAD " + describe(echo)));
        }
        for (int n : Payloads.SIZES) {
            byte[] data = Payloads.binary(n);
            link.sendBinary(data);
            Object echo = events.nextData();
            boolean same = echo instanceof byte[] b && Arrays.equals(b, data);
            log.add("BINARY " + n + (same ? " OK" : " BAD " + describe(echo)));
        }
        if (api.fragments()) {
            sendInParts(link, events);
        }
        if (api.pings()) {
            link.sendPing(Scenario.CLIENT_PING);
            Object pong = events.nextData();
            log.add(pong instanceof Pong p ? "PONG " + p.payload() : "PONG BAD " + describe(pong));
        }
        link.sendText(Scenario.PING_COMMAND + Scenario.SERVER_PING);
        Object ack = events.nextData();
        log.add(ack.equals(Scenario.PONG_RECEIVED + Scenario.SERVER_PING)
                ? "SERVER-PONG " + Scenario.SERVER_PING
                : "SERVER-PONG BAD " + describe(ack));
        link.close(Scenario.CLIENT_CLOSE_CODE, Scenario.CLIENT_CLOSE_REASON);
        log.add(closeLine("CLOSE ", events.next()));
    }

    private void sendInParts(Link link, ClientEvents events) throws Exception {
        int n = Scenario.FRAGMENTED_SIZE;
        String text = Payloads.text(n);
        List<String> textParts = new ArrayList<>();
        // Parts cut by UTF-16 units would split surrogate pairs, which a Java String API cannot encode: cut by
        // code points instead (our own fragmenting runs cover splits inside UTF-8 sequences).
        for (int start = 0; start < text.length(); ) {
            int left = text.codePointCount(start, text.length());
            int end = text.offsetByCodePoints(start, Math.min(Scenario.PART_SIZE, left));
            textParts.add(text.substring(start, end));
            start = end;
        }
        link.sendText(textParts);
        Object echo = events.nextData();
        log.add("FRAGMENTED TEXT " + n + (text.equals(echo) ? " OK" : " BAD " + describe(echo)));

        byte[] data = Payloads.binary(n);
        List<byte[]> binaryParts = new ArrayList<>();
        for (int start = 0; start < n; start += Scenario.PART_SIZE) {
            binaryParts.add(Arrays.copyOfRange(data, start, Math.min(n, start + Scenario.PART_SIZE)));
        }
        link.sendBinary(binaryParts);
        echo = events.nextData();
        boolean same = echo instanceof byte[] b && Arrays.equals(b, data);
        log.add("FRAGMENTED BINARY " + n + (same ? " OK" : " BAD " + describe(echo)));
    }

    private void secondConnection(URI uri) throws Exception {
        ClientEvents events = new ClientEvents();
        Link link = connector.connect(uri, events);
        link.sendText(Scenario.CLOSE_COMMAND + Scenario.SERVER_CLOSE_CODE + " " + Scenario.SERVER_CLOSE_REASON);
        log.add(closeLine("SERVER-CLOSE ", events.next()));
    }

    private void serverTerminates(URI uri) throws Exception {
        ClientEvents events = new ClientEvents();
        Link link = connector.connect(uri, events);
        link.sendText(Scenario.TERMINATE_COMMAND);
        Object event = events.next();
        if (event instanceof ClientEvents.Failure f) {
            // An API may report the lost connection as an error first; the close, if it follows, tells the code.
            Object after = events.poll(2);
            event = after != null ? after : f;
        }
        log.add(event instanceof Closed c
                ? "SERVER-TERMINATE " + c.code() + (c.clean() ? " (CLEAN)" : "")
                : "SERVER-TERMINATE ERROR " + describe(event));
    }

    private void clientAborts(URI uri) throws Exception {
        ClientEvents events = new ClientEvents();
        connector.connect(uri, events).abort();
        log.add("ABORTED");
    }

    private static String closeLine(String prefix, Object event) throws StepFailed {
        if (!(event instanceof Closed c)) {
            throw new StepFailed("expected a close, got " + describe(event));
        }
        return prefix + c.code() + " " + c.reason() + (c.clean() ? "" : " (UNCLEAN)");
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
}
