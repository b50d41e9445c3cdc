package io.duplex.redis;

import io.duplex.nio.PreparedMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A room message as it travels on a room's channel. A sequenced message, written by {@code publish.lua}:
 * {@code 'm' op seq ' ' payload}; an announcement: {@code 'a' op node ' ' exceptId ' ' payload}; {@code op} is
 * {@code 't'} for text or {@code 'b'} for binary. Immutable.
 *
 * @param seq the sequence number, or 0 for an announcement
 * @param node the announcing node's id, or null for a sequenced message
 * @param exceptId the connection of {@code node} to leave out, or 0
 */
record Envelope(long seq, String node, long exceptId, PreparedMessage message) {

    /** The announcement of {@code message} by {@code node}, leaving out its connection {@code exceptId}. */
    static byte[] announcement(String node, long exceptId, PreparedMessage message) {
        ByteBuffer payload = message.payload();
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.remaining() + 40);
        out.write('a');
        out.write(message.isText() ? 't' : 'b');
        byte[] head = (node + " " + exceptId + " ").getBytes(StandardCharsets.US_ASCII);
        out.write(head, 0, head.length);
        byte[] body = new byte[payload.remaining()];
        payload.get(body);
        out.write(body, 0, body.length);
        return out.toByteArray();
    }

    /**
     * Reads one channel message.
     *
     * @throws IllegalArgumentException if it is not one this module writes
     */
    static Envelope parse(byte[] b) {
        if (b.length < 3 || (b[1] != 't' && b[1] != 'b')) {
            throw new IllegalArgumentException("not a room message");
        }
        boolean text = b[1] == 't';
        if (b[0] == 'm') {
            int sp = space(b, 2);
            long seq = Long.parseLong(new String(b, 2, sp - 2, StandardCharsets.US_ASCII));
            return new Envelope(seq, null, 0, message(text, b, sp + 1));
        }
        if (b[0] == 'a') {
            int sp1 = space(b, 2);
            int sp2 = space(b, sp1 + 1);
            String node = new String(b, 2, sp1 - 2, StandardCharsets.US_ASCII);
            long except = Long.parseLong(new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII));
            return new Envelope(0, node, except, message(text, b, sp2 + 1));
        }
        throw new IllegalArgumentException("not a room message");
    }

    /** The message of a history entry: its {@code o} and {@code m} fields. */
    static PreparedMessage message(boolean text, byte[] b, int from) {
        return text
                ? PreparedMessage.text(new String(b, from, b.length - from, StandardCharsets.UTF_8))
                : PreparedMessage.binary(ByteBuffer.wrap(b, from, b.length - from));
    }

    private static int space(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == ' ') {
                return i;
            }
        }
        throw new IllegalArgumentException("not a room message");
    }
}
