package io.duplex.examples.ticker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The ticker's JSON messages and its page. Thread-safe. */
final class TickMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TickMessages() {
    }

    static String tick(long seq, Prices.Tick tick) {
        return write(JSON.createObjectNode().put("seq", seq).put("symbol", tick.symbol())
                .put("price", tick.price()).put("time", tick.timeMillis()));
    }

    static String gap(long from, long to) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("gap").put("from", from).put("to", to);
        return write(o);
    }

    static String page() {
        try (InputStream in = TickMessages.class.getResourceAsStream("ticker.html")) {
            if (in == null) {
                throw new IllegalStateException("ticker.html missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
