package io.duplex.core.internal.session;

import io.duplex.core.internal.frame.Opcode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The send side of a session once it decided a send may go out: frames whole messages and the parts of
 * fragmented ones (RFC 6455 §5.4: the first frame carries the type, the rest are continuations), keeps a high
 * surrogate that ends a text part until its low half arrives with the next part, runs messages an extension
 * claims through the {@link ExtensionChain}, and sends back a received buffer the {@link BufferHandoff} lets it
 * take without a copy. Whether the connection is open is the session's to decide; this class knows only
 * whether a message is being sent in parts.
 */
public final class MessageSender {

    private final FrameWriter writer;
    /** The connection's extensions; null when it negotiated none. */
    private final ExtensionChain chain;
    private final BufferHandoff handoff;
    /** The data message being sent in parts, if any: its opcode, or -1. */
    private byte sendingOpcode = -1;
    /** A high surrogate that ended a text part, held back until the low one arrives with the next part. */
    private char heldSurrogate;

    /**
     * @param chain the connection's extensions, or null when it has none
     * @param handoff where a received message's buffer may be taken for an echo
     */
    public MessageSender(FrameWriter writer, ExtensionChain chain, BufferHandoff handoff) {
        this.writer = writer;
        this.chain = chain;
        this.handoff = handoff;
    }

    /**
     * Whether a data frame of this type may start or continue now: no message is being sent in parts, or this
     * continues it. Allocates nothing, so a refused offer costs nothing.
     */
    public boolean admits(int opcode, boolean whole) {
        return sendingOpcode < 0 || (!whole && sendingOpcode == opcode);
    }

    /** Whether a message sent in parts is unfinished. */
    public boolean inMessage() {
        return sendingOpcode >= 0;
    }

    /** Why {@link #admits} refused: the message being sent in parts. */
    public String refusal() {
        return "a " + Opcode.name(sendingOpcode) + " message is being sent in parts; finish it first";
    }

    /**
     * Frames a text message or part of one, after {@link #admits} admitted it.
     *
     * @param whole a whole message rather than a part ({@code last} is then true)
     * @param done null when nobody waits for the bytes
     * @throws IllegalArgumentException at an unpaired surrogate, before anything is written
     */
    public void text(CharSequence text, boolean last, boolean whole, CompletableFuture<Void> done) {
        CharSequence part = text;
        if (heldSurrogate != 0) {
            part = new StringBuilder(text.length() + 1).append(heldSurrogate).append(text);
            heldSurrogate = 0;
        }
        int end = part.length();
        if (!last && end > 0 && Character.isHighSurrogate(part.charAt(end - 1))) {
            heldSurrogate = part.charAt(--end);
        }
        try {
            if (chain != null && chain.encodes(Opcode.TEXT,
                    whole ? MessageEncoding.utf8Length(part, 0, end) : -1, sendingOpcode >= 0)) {
                writeEncoded(Opcode.TEXT, last, MessageEncoding.utf8(part, 0, end), done);
            } else {
                writer.writeText(opcodeOfPart(Opcode.TEXT), last, part, 0, end, done);
            }
        } catch (IllegalArgumentException e) {
            heldSurrogate = 0;
            throw e;
        }
        sendingOpcode = last ? -1 : (byte) Opcode.TEXT;
    }

    /**
     * Frames a binary message or part of one, after {@link #admits} admitted it.
     *
     * @param whole a whole message rather than a part ({@code last} is then true)
     * @param done null when nobody waits for the bytes
     */
    public void binary(ByteBuffer data, boolean last, boolean whole, CompletableFuture<Void> done) {
        Consumer<ByteBuffer> release;
        if (chain != null && chain.encodes(Opcode.BINARY, whole ? data.remaining() : -1, sendingOpcode >= 0)) {
            writeEncoded(Opcode.BINARY, last, data, done);
        } else if (whole && writer.canWriteGiven(data.remaining()) && (release = handoff.take(data)) != null) {
            // The handler sends back the message it is being given: its buffer is ours, so send it uncopied.
            writer.writeGivenBinary(data, done, release);
        } else {
            writer.writeBinary(opcodeOfPart(Opcode.BINARY), last, data, done);
        }
        sendingOpcode = last ? -1 : (byte) Opcode.BINARY;
    }

    /** Writes a Ping, a Pong or a Close (payload at most 125 bytes, checked by the caller). */
    public void control(int opcode, ByteBuffer payload, CompletableFuture<Void> done) {
        writer.writeControl(opcode, payload, done);
    }

    /** Answers a received Ping (§5.5.2); {@code payload}'s position is left where it was. */
    public void autoPong(ByteBuffer payload) {
        int start = payload.position();
        writer.writeAutoPong(payload);
        payload.position(start);
    }

    /** Runs a message part through its extension and frames the result; RSV bits go on the first frame only. */
    private void writeEncoded(int opcode, boolean last, ByteBuffer data, CompletableFuture<Void> done) {
        int rsv = sendingOpcode >= 0 ? 0 : chain.firstFrameRsv();
        ByteBuffer encoded = chain.encode(data, last);
        try {
            writer.writeBinary(opcodeOfPart(opcode), last, rsv, encoded, done);
        } finally {
            chain.encoded(encoded);
        }
    }

    /** The opcode of the next frame of a message of type {@code opcode}: itself to start, CONTINUATION after. */
    private int opcodeOfPart(int opcode) {
        return sendingOpcode == opcode ? Opcode.CONTINUATION : opcode;
    }
}
