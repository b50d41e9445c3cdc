package io.duplex.redis;

/**
 * A room operation that needed Redis and could not be done: Redis unreachable, too slow, or too many
 * publishes already waiting for it. Nothing of the operation took effect on any node unless the message says
 * the outcome is unknown (a timeout after the command was sent).
 */
public final class RedisRoomException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}, caused by {@code cause} (may be null). */
    public RedisRoomException(String message, Throwable cause) {
        super(message, cause);
    }
}
