package io.duplex.nio;

import java.util.List;
import java.util.Objects;

/**
 * What a member joining a room starts from, taken atomically with respect to the room's sequencer: the room's
 * latest sequence number, the kept messages a resume asked for, and the gap that history no longer covers.
 * The member receives exactly the messages after {@link #latest()} live, so replay plus live has no
 * duplicate and no hole. Immutable.
 */
public final class RoomSnapshot {

    private final String room;
    private final long latest;
    private final long gapFrom;
    private final long gapTo;
    private final List<SequencedMessage> replay;

    /**
     * @param room the room's name
     * @param latest the room's latest sequence number (0 for a room with no message yet)
     * @param gapFrom the first sequence number asked for that will not come, or 0 when none
     * @param gapTo the last one (inclusive), or 0 when none
     * @param replay the kept messages after the resume point, in order, up to {@code latest}
     */
    public RoomSnapshot(String room, long latest, long gapFrom, long gapTo, List<SequencedMessage> replay) {
        if (gapFrom < 0 || gapTo < gapFrom || (gapFrom == 0) != (gapTo == 0)) {
            throw new IllegalArgumentException("bad gap " + gapFrom + ".." + gapTo);
        }
        this.room = Objects.requireNonNull(room, "room");
        this.latest = latest;
        this.gapFrom = gapFrom;
        this.gapTo = gapTo;
        this.replay = List.copyOf(replay);
    }

    /** The room's name. */
    public String room() {
        return room;
    }

    /** The room's latest sequence number when the member joined; 0 for a room never published to. */
    public long latest() {
        return latest;
    }

    /** Whether some of the messages asked for are no longer kept. */
    public boolean hasGap() {
        return gapFrom != 0;
    }

    /** The first sequence number asked for that will not be delivered (inclusive), or 0 without a gap. */
    public long gapFrom() {
        return gapFrom;
    }

    /** The last sequence number asked for that will not be delivered (inclusive), or 0 without a gap. */
    public long gapTo() {
        return gapTo;
    }

    /** The kept messages delivered before the live ones, in order (empty without a resume). */
    public List<SequencedMessage> replay() {
        return replay;
    }
}
