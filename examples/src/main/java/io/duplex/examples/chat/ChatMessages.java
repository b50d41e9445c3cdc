package io.duplex.examples.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The server-to-client messages of the chat protocol, as JSON text. Thread-safe. */
final class ChatMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatMessages() {
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    static String joined(String room, long seq) {
        return write(op("joined").put("room", room).put("seq", seq));
    }

    static String message(String room, String nick, String text, long seq) {
        return write(op("message").put("room", room).put("nick", nick).put("text", text).put("seq", seq));
    }

    static String presence(String room, String nick, String event) {
        return write(op("presence").put("room", room).put("nick", nick).put("event", event));
    }

    static String members(String room, List<String> nicks) {
        ObjectNode o = op("members").put("room", room);
        ArrayNode list = o.putArray("nicks");
        nicks.forEach(list::add);
        return write(o);
    }

    static String gap(String room, long from, long to) {
        return write(op("gap").put("room", room).put("from", from).put("to", to));
    }

    static String error(String reason) {
        return write(op("error").put("reason", reason));
    }

    private static ObjectNode op(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
