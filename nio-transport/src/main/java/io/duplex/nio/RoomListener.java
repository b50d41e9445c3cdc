package io.duplex.nio;

/**
 * Hears of membership changes and missed messages in {@link Rooms}, for example to tell a room's members
 * who came and went ({@link Rooms#announce}). Every method has a no-op default. Callbacks must not block;
 * an exception thrown from one is logged and otherwise ignored.
 */
public interface RoomListener {

    /**
     * {@code member} joined its room. Runs on the thread that called {@link Rooms#join}, after the member
     * was added (it already receives the room's messages).
     */
    default void onJoin(RoomMember member) {
    }

    /**
     * {@code member} left its room. Runs on the thread that called {@link Rooms#leave}, or, when its
     * connection closed, on the connection's event loop before the handler's {@code onClose}.
     *
     * @param closed true when the member left because its connection closed
     */
    default void onLeave(RoomMember member, boolean closed) {
    }

    /**
     * {@code member} was {@linkplain SlowMemberPolicy#SKIP skipped} for the messages {@code from} to
     * {@code to} (both inclusive) and is about to receive the next message it keeps up with. Runs on the
     * member's event loop just before that message is written, so what the application sends the member
     * from here (a gap notice) arrives before it.
     */
    default void onGap(RoomMember member, long from, long to) {
    }
}
