package io.duplex.examples.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One client-to-server request of the chat protocol, parsed and checked: every rule about a single request's
 * shape lives here, so the handler only sees valid requests.
 *
 * @param op join, say, leave or who
 * @param room the room (1 to 64 characters)
 * @param nick the nickname for join (1 to 64 characters), else null
 * @param text the text for say (at most 4,096 characters), else null
 * @param since the sequence number to resume after for join, or -1
 */
record ChatRequest(String op, String room, String nick, String text, long since) {

    static final int MAX_NAME = 64;
    static final int MAX_TEXT = 4096;

    /** A request that breaks the protocol; its message is the reason sent back in an error. */
    static final class BadRequest extends Exception {
        BadRequest(String reason) {
            super(reason, null, false, false);
        }
    }

    static ChatRequest parse(String json) throws BadRequest {
        JsonNode node;
        try {
            node = ChatMessages.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadRequest("malformed JSON");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest("a request must be a JSON object");
        }
        String op = string(node, "op", Integer.MAX_VALUE);
        switch (op) {
            case "join":
                return new ChatRequest(op, name(node, "room"), name(node, "nick"), null, since(node));
            case "say":
                return new ChatRequest(op, name(node, "room"), null, string(node, "text", MAX_TEXT), -1);
            case "leave":
            case "who":
                return new ChatRequest(op, name(node, "room"), null, null, -1);
            default:
                throw new BadRequest("unknown op: " + op);
        }
    }

    private static String name(JsonNode node, String field) throws BadRequest {
        String s = string(node, field, MAX_NAME);
        if (s.isEmpty()) {
            throw new BadRequest(field + " must not be empty");
        }
        return s;
    }

    /** A string field of at most {@code max} characters (Unicode code points, as a user counts them). */
    private static String string(JsonNode node, String field, int max) throws BadRequest {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new BadRequest("missing string field: " + field);
        }
        String s = v.textValue();
        if (s.length() > max && s.codePointCount(0, s.length()) > max) {
            throw new BadRequest(field + " over " + max + " characters");
        }
        return s;
    }

    private static long since(JsonNode node) throws BadRequest {
        JsonNode v = node.get("since");
        if (v == null || v.isNull()) {
            return -1;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < 0) {
            throw new BadRequest("since must be a sequence number (an integer, 0 or more)");
        }
        return v.longValue();
    }
}
