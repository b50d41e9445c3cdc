package io.duplex.nio;

/**
 * What a {@link ReconnectingWebSocket}'s outbox does with a message that does not fit (see
 * {@link ReconnectingWebSocket.Builder#outbox}). Either way the message that loses is never silently lost: its
 * future fails with {@link OutboundOverflowException} (an offer returns {@code false}).
 */
public enum OutboxPolicy {
    /** Keep what is queued and refuse the new message. */
    REJECT_NEW,
    /** Drop the oldest queued messages until the new one fits: the freshest state wins (live dashboards). */
    DROP_OLDEST
}
