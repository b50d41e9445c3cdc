package io.duplex.nio;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Decides the order of each room's messages, keeps their history, and carries them to the node's members:
 * the part of {@link Rooms} that can be swapped. {@link InMemoryRoomEngine} (one node, the default) is one;
 * an engine on Redis (the {@code duplex-redis} module) spans nodes; others (NATS, Kafka) can follow.
 *
 * <p>{@link Rooms} keeps the members on this node and writes to them; the engine calls back its
 * {@link RoomFanout} with each room's messages <em>in sequence order, one call at a time per room</em>. The
 * contract that makes resume exact: {@link #attach} runs its callback in that same order, so every message
 * delivered after the callback is one the snapshot did not include, and every one before it is in the
 * snapshot or before {@code since}.
 *
 * <p>Implementations must be thread-safe and must never block the calling thread on the network: an event
 * loop may call any method.
 */
public interface RoomEngine {

    /**
     * Binds this engine to the {@link Rooms} that will use it; called once, before any other method.
     *
     * @throws IllegalStateException if already bound
     */
    void start(RoomFanout fanout);

    /**
     * Publishes to {@code room}: assigns its next sequence number {@code seq}, asks {@code message} for the
     * message that carries it (so a payload can include its own sequence number), keeps it in history if the
     * engine keeps any, and hands it to the fan-out of every node with members, in sequence order.
     *
     * @param message called once with the sequence number; must not block or call back into rooms
     * @return completes with the sequence number, or with 0 when nobody could receive it (no member, no
     *     history) and no number was used; fails if the engine cannot publish now (then nothing was delivered)
     */
    CompletableFuture<Long> publish(String room, LongFunction<PreparedMessage> message);

    /**
     * Sends {@code message} to the members of {@code room} without a sequence number or history (presence
     * notices), in order with the room's sequenced messages.
     *
     * @param exceptId the {@linkplain io.duplex.core.WebSocket#id() id} of a local connection to leave out,
     *     or 0
     */
    void announce(String room, PreparedMessage message, long exceptId);

    /**
     * A local member joins {@code room}: in the room's delivery order, takes a {@link RoomSnapshot} of it
     * and calls {@code attached} with it, so the member receives exactly the messages after
     * {@link RoomSnapshot#latest()} through the fan-out. Each attach is matched by one {@link #detach}.
     *
     * @param since resume after this sequence number (the snapshot replays the kept messages after it and
     *     reports what is no longer kept as a gap); negative for no resume
     * @param attached called exactly once, in the room's delivery order: before this method returns when the
     *     engine can (the in-memory one always does), else later on any thread (an engine that fetches history
     *     from elsewhere must not block the caller, often an event loop). It may call {@link #detach} (a member
     *     that left meanwhile). If it throws, the engine undoes the attach and lets the exception reach the
     *     caller of this method, or logs it when it runs later
     * @throws IllegalStateException if the room cannot be created (a limit)
     */
    void attach(String room, long since, Consumer<RoomSnapshot> attached);

    /** A local member left {@code room}: undoes one {@link #attach}. */
    void detach(String room);

    /** The room's latest sequence number as this node knows it; 0 for a room with no message. */
    long latest(String room);
}
