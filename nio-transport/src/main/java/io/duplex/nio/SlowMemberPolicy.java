package io.duplex.nio;

import io.duplex.core.CloseStatus;

/**
 * What a room publish does with a member that is too far behind: one whose {@link
 * io.duplex.core.WebSocket#bufferedAmount() bufferedAmount()} plus the message would pass the rooms'
 * {@linkplain Rooms.Builder#memberBacklog member backlog}. Decided at publish time, for that member only: the
 * other members get the message at once either way.
 */
public enum SlowMemberPolicy {

    /**
     * The message is not sent to that member. The member's {@link RoomMember#skipped()} counts it, and
     * before the next message it does get, {@link RoomListener#onGap} tells the application which sequence
     * numbers it missed, so it can tell the client (or the client resumes from history). The default.
     */
    SKIP(0),

    /** The member's connection is closed with 1013 (try again later); a client may reconnect and resume. */
    CLOSE_TRY_AGAIN_LATER(CloseStatus.TRY_AGAIN_LATER),

    /** The member's connection is closed with 1008 (policy violation). */
    CLOSE_POLICY_VIOLATION(CloseStatus.POLICY_VIOLATION);

    private final int closeCode;

    SlowMemberPolicy(int closeCode) {
        this.closeCode = closeCode;
    }

    /** The close code a slow member is closed with, or 0 when it is skipped instead. */
    public int closeCode() {
        return closeCode;
    }
}
