package io.duplex.nio;

import java.util.Objects;

/** A room message with the sequence number its room's sequencer gave it. Immutable. */
public final class SequencedMessage {

    private final long seq;
    private final PreparedMessage message;
    /** When {@link InMemoryRoomEngine} kept it, on its clock, for the history's age bound; 0 otherwise. */
    final long keptAt;

    /**
     * @param seq the message's sequence number in its room, 1 or more
     * @param message the encoded message
     */
    public SequencedMessage(long seq, PreparedMessage message) {
        this(seq, message, 0);
    }

    SequencedMessage(long seq, PreparedMessage message, long keptAt) {
        if (seq < 1) {
            throw new IllegalArgumentException("sequence numbers start at 1: " + seq);
        }
        this.seq = seq;
        this.message = Objects.requireNonNull(message, "message");
        this.keptAt = keptAt;
    }

    /** The sequence number, 1 or more. */
    public long seq() {
        return seq;
    }

    /** The encoded message. */
    public PreparedMessage message() {
        return message;
    }
}
