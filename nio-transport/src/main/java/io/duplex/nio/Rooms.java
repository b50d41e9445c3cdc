package io.duplex.nio;

import io.duplex.core.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms of a {@link WebSocketServer}'s connections: named groups, created on demand, that a message is
 * published to once and delivered to every member in one order.
 *
 * <pre>{@code
 * Rooms rooms = Rooms.builder(server).engine(InMemoryRoomEngine.builder().historyCount(100).build()).build();
 * rooms.join(ws, "lobby", "alice");                                  // from any thread
 * rooms.publish("lobby", seq -> PreparedMessage.text(seq + ": hi")); // from any thread
 * }</pre>
 *
 * <ul>
 *   <li><b>Encode once.</b> A publish encodes its message once, as an uncompressed frame (also to members
 *       that negotiated permessage-deflate), and each member's event loop writes those same bytes; what a
 *       slow socket refuses of a frame over 8 KiB is queued by reference, not copied.
 *   <li><b>One order per room.</b> The {@link RoomEngine} gives each publish the room's next sequence number
 *       and hands it, in that order, to each event loop with members, whose task queue is first in, first
 *       out: every member receives the room's messages in sequence order, whichever thread published.
 *       Messages of different rooms have no order between them.
 *   <li><b>Per-member backpressure, at publish time.</b> A member whose {@code bufferedAmount()} plus the
 *       message would pass {@link Builder#memberBacklog} is handled by the {@link SlowMemberPolicy} for that
 *       message; the others get it at once. The bytes handed to a member's loop count in its
 *       {@code bufferedAmount()} from the publish on, so the decision sees the backlog a burst creates.
 *   <li><b>Resume.</b> {@link #join(WebSocket, String, Object, long, Function)} with {@code since} replays the
 *       kept messages after it, then the live ones, with no duplicate and no hole, or reports the gap.
 *   <li><b>Presence.</b> {@link #members} lists a room's members with their labels; a {@link RoomListener}
 *       hears joins and leaves, and {@link #announce} tells the members.
 *   <li>A connection leaves every room when it closes, before its handler's {@code onClose}.
 * </ul>
 *
 * <p>Thread-safe: every method may be called from any thread, handler callbacks included.
 */
public final class Rooms {

    private static final Logger LOG = LoggerFactory.getLogger(Rooms.class);

    private final WebSocketServer server;
    private final RoomEngine engine;
    private final RoomListener listener;
    private final int maxRoomsPerConnection;
    private final int maxRoomNameLength;
    private final ConcurrentHashMap<String, LocalRoom> rooms = new ConcurrentHashMap<>();

    private Rooms(Builder b) {
        this.server = b.server;
        this.engine = b.engine != null ? b.engine : InMemoryRoomEngine.builder().build();
        this.listener = b.listener;
        this.maxRoomsPerConnection = b.maxRoomsPerConnection;
        this.maxRoomNameLength = b.maxRoomNameLength;
        this.engine.start(new MemberFanout(rooms, listener, b.slowPolicy, b.memberBacklog));
        server.onConnectionClosed(this::connectionClosed);
    }

    /** A builder of rooms for {@code server}'s connections, with the defaults listed on its methods. */
    public static Builder builder(WebSocketServer server) {
        return new Builder(Objects.requireNonNull(server, "server"));
    }

    // ---- membership -----------------------------------------------------------------------------------

    /**
     * {@code ws} joins {@code room}, creating it if needed, and receives the room's messages published from
     * now on. Same as {@link #join(WebSocket, String, Object, long, Function)} without resume or greeting.
     */
    public RoomMember join(WebSocket ws, String room, Object label) {
        return join(ws, room, label, -1, null);
    }

    /**
     * {@code ws} joins {@code room}, creating it if needed. Atomically with respect to the room's publishes,
     * the engine takes a {@link RoomSnapshot}; {@code greeting} (if not null) makes the messages the member
     * gets first (for example one that tells the room's latest sequence number and any gap), then the kept
     * messages after {@code since} follow in order, then every message published after the snapshot.
     *
     * @param label what the application knows the member by (a nickname), shown by {@link #members}; may be null
     * @param since resume after this sequence number; negative for none
     * @param greeting runs once, inside the room's order: keep it short and do not call this {@code Rooms}
     *     from it
     * @return the membership; with an engine that attaches at once (the in-memory one) it receives the
     *     room's messages and {@link RoomListener#onJoin} has been told; with one that attaches later, both
     *     happen when it does
     * @throws IllegalArgumentException if {@code ws} is not an open connection of this server, or the name
     *     is empty or longer than {@link Builder#maxRoomNameLength}
     * @throws IllegalStateException if {@code ws} is in the room already, is in
     *     {@link Builder#maxRoomsPerConnection} rooms, closed meanwhile, or the engine's room limit is reached
     */
    public RoomMember join(WebSocket ws, String room, Object label, long since,
            Function<RoomSnapshot, List<PreparedMessage>> greeting) {
        ServerConnection c = own(ws);
        checkName(room);
        // Members of a room share its name string, so the caller's copy can go.
        LocalRoom existing = rooms.get(room);
        RoomMember m = new RoomMember(existing != null ? existing.name : room, c.facade, label, this);
        reserve(c, m);
        // Whoever comes second of this method's return and the engine's callback tells the listener, so an
        // engine that attaches later (history fetched from elsewhere) still reports the join once.
        AtomicBoolean handoff = new AtomicBoolean();
        try {
            engine.attach(room, since, snapshot -> {
                if (added(c, m, snapshot, greeting) && !handoff.compareAndSet(false, true)) {
                    joined(m);
                }
            });
        } catch (RuntimeException | Error e) {
            Memberships.remove(c, this, room, m);
            throw e;
        }
        if (!m.isActive()) {
            throw new IllegalStateException("connection closed or left room " + room + " while joining");
        }
        if (!handoff.compareAndSet(false, true)) {
            joined(m);
        }
        return m;
    }

    private void joined(RoomMember m) {
        try {
            listener.onJoin(m);
        } catch (RuntimeException e) {
            LOG.warn("onJoin failed", e);
        }
    }

    private void reserve(ServerConnection c, RoomMember m) {
        Memberships.reserve(c, m, maxRoomsPerConnection);
        // The close hook unlists the connection before it takes its memberships: either it sees this one, or
        // this check sees the connection unlisted (closed, or not open yet).
        if (!server.isListed(c)) {
            Memberships.remove(c, this, m.room(), m);
            throw new IllegalStateException("connection " + c.id + " is not open");
        }
    }

    /**
     * The engine's attach callback: in the room's order, adds the member and hands its loop the first
     * messages, unless the connection closed or left the room meanwhile (then undoes the attach).
     *
     * @return whether the member was added
     */
    private boolean added(ServerConnection c, RoomMember m, RoomSnapshot snapshot,
            Function<RoomSnapshot, List<PreparedMessage>> greeting) {
        List<PreparedMessage> first = new ArrayList<>();
        if (greeting != null) {
            first.addAll(greeting.apply(snapshot));
        }
        for (SequencedMessage s : snapshot.replay()) {
            first.add(s.message());
        }
        long bytes = 0;
        for (PreparedMessage p : first) {
            bytes += p.frameLength();
        }
        for (;;) {
            LocalRoom r = rooms.computeIfAbsent(m.room(), LocalRoom::new);
            boolean stale;
            synchronized (r) {
                if (r.dead) {
                    continue;
                }
                // Checked under the room's lock, which the close hook and leave take to remove a member:
                // either they see it added, or it sees them.
                stale = !Memberships.holds(c, m);
                if (stale) {
                    m.end();
                    if (r.size() == 0) {
                        r.dead = true;
                        rooms.remove(r.name, r);
                    }
                } else {
                    r.add(m, c.loop);
                    if (!first.isEmpty()) {
                        m.ws().handedOver(bytes);
                        MemberFanout.hand(c.loop, new RoomDelivery(first, bytes, new RoomMember[] {m}, 1, null, listener));
                    }
                }
            }
            if (stale) {
                engine.detach(m.room());
            }
            return !stale;
        }
    }

    /**
     * {@code ws} leaves {@code room}: from the return on (and, when called on the member's own event loop,
     * also for messages published before), nothing more of the room is written to it.
     *
     * @return false if it was not a member
     */
    public boolean leave(WebSocket ws, String room) {
        RoomMember m = Memberships.remove(own(ws), this, room, null);
        if (m == null) {
            return false;
        }
        if (removeLocal(m)) {
            engine.detach(room);
        }
        try {
            listener.onLeave(m, false);
        } catch (RuntimeException e) {
            LOG.warn("onLeave failed", e);
        }
        return true;
    }

    /** The close hook: on the connection's loop, before its handler's onClose. */
    private void connectionClosed(ServerConnection c) {
        for (RoomMember m : Memberships.removeAll(c, this)) {
            if (removeLocal(m)) {
                engine.detach(m.room());
                try {
                    listener.onLeave(m, true);
                } catch (RuntimeException e) {
                    LOG.warn("onLeave failed", e);
                }
            }
        }
    }

    /** Ends {@code m} and takes it out of its room, dropping the room once empty; false if it was not in it. */
    private boolean removeLocal(RoomMember m) {
        LocalRoom r = rooms.get(m.room());
        if (r == null) {
            m.end();
            return false;
        }
        synchronized (r) {
            m.end();
            boolean removed = !r.dead && r.remove(m, m.ws().connection().loop);
            if (r.size() == 0 && !r.dead) {
                r.dead = true;
                rooms.remove(r.name, r);
            }
            return removed;
        }
    }

    // ---- publishing -----------------------------------------------------------------------------------

    /**
     * Publishes {@code message} to {@code room}'s members. Same as {@link #publish(String, LongFunction)}
     * with a message that does not carry its sequence number.
     */
    public CompletableFuture<Long> publish(String room, PreparedMessage message) {
        Objects.requireNonNull(message, "message");
        return publish(room, seq -> message);
    }

    /**
     * Publishes to {@code room}: the engine assigns the room's next sequence number, {@code message} makes
     * the message with it (so the payload may include it), and every member receives it, in the room's one
     * order, on its own event loop. Never blocks on a slow member. Text or binary: see
     * {@link PreparedMessage#text} and {@link PreparedMessage#binary}.
     *
     * @param message called once, inside the room's order: keep it short and do not call this {@code Rooms}
     *     from it
     * @return completes with the sequence number (at once with the in-memory engine), or 0 when the room has
     *     no member and keeps no history, so nothing was sent and no number used
     */
    public CompletableFuture<Long> publish(String room, LongFunction<PreparedMessage> message) {
        checkName(room);
        return engine.publish(room, message);
    }

    /**
     * Sends {@code message} to {@code room}'s members without a sequence number and without keeping it (a
     * presence notice), in order with the room's messages. The slow-member policy applies; a skipped
     * announcement counts in {@link RoomMember#skipped()} but leaves no gap.
     *
     * @param except a member to leave out (the one the notice is about), or null
     */
    public void announce(String room, PreparedMessage message, WebSocket except) {
        checkName(room);
        engine.announce(room, Objects.requireNonNull(message, "message"), except == null ? 0 : except.id());
    }

    // ---- queries --------------------------------------------------------------------------------------

    /** The members of {@code room} on this server, a snapshot in no particular order; empty for no room. */
    public List<RoomMember> members(String room) {
        LocalRoom r = rooms.get(room);
        List<RoomMember> out = new ArrayList<>();
        if (r != null) {
            synchronized (r) {
                r.copyMembers(out);
            }
        }
        return out;
    }

    /** How many members {@code room} has on this server. */
    public int memberCount(String room) {
        LocalRoom r = rooms.get(room);
        if (r == null) {
            return 0;
        }
        synchronized (r) {
            return r.size();
        }
    }

    /** The rooms {@code ws} is a member of, a snapshot. */
    public Set<String> roomsOf(WebSocket ws) {
        return Memberships.rooms(own(ws), this);
    }

    /** {@code ws}'s membership of {@code room}, or null. */
    public RoomMember membership(WebSocket ws, String room) {
        return Memberships.get(own(ws), this, room);
    }

    /** The names of the rooms with members on this server, a snapshot. */
    public Set<String> roomNames() {
        return Set.copyOf(rooms.keySet());
    }

    /** {@code room}'s latest sequence number; 0 for a room with no message (or forgotten). */
    public long latest(String room) {
        checkName(room);
        return engine.latest(room);
    }

    // ---- checks ---------------------------------------------------------------------------------------

    private ServerConnection own(WebSocket ws) {
        Objects.requireNonNull(ws, "ws");
        if (ws instanceof NioWebSocket n && n.connection() instanceof ServerConnection c && c.server == server) {
            return c;
        }
        throw new IllegalArgumentException("not a connection of this server: " + ws);
    }

    private void checkName(String room) {
        Objects.requireNonNull(room, "room");
        if (room.isEmpty() || room.length() > maxRoomNameLength) {
            throw new IllegalArgumentException("room name must be 1 to " + maxRoomNameLength + " chars, got "
                    + room.length());
        }
    }

    /** Builds {@link Rooms}. Not thread-safe. */
    public static final class Builder {
        private final WebSocketServer server;
        private RoomEngine engine;
        private RoomListener listener = new RoomListener() { };
        private SlowMemberPolicy slowPolicy = SlowMemberPolicy.SKIP;
        private long memberBacklog = 1L << 20;
        private int maxRoomsPerConnection = 100;
        private int maxRoomNameLength = 256;

        private Builder(WebSocketServer server) {
            this.server = server;
        }

        /**
         * The engine that orders, keeps and carries the messages. Default: an {@link InMemoryRoomEngine} with
         * no history. An engine serves one {@code Rooms}.
         */
        public Builder engine(RoomEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Hears joins, leaves and gaps. Default: none. */
        public Builder listener(RoomListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** What a publish does with a member too far behind. Default {@link SlowMemberPolicy#SKIP}. */
        public Builder slowMemberPolicy(SlowMemberPolicy policy) {
            this.slowPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How many bytes a member may have buffered (its {@code bufferedAmount()}, this message included)
         * and still get a message; past it, the {@link SlowMemberPolicy} applies. A member with nothing
         * buffered always gets the message. Keep it below the connections' {@code maxBufferedBytes}, whose own
         * overflow policy would otherwise act first. Default 1 MiB.
         */
        public Builder memberBacklog(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("memberBacklog must be positive: " + bytes);
            }
            this.memberBacklog = bytes;
            return this;
        }

        /** The most rooms one connection may be in at once; a join past it throws. Default 100. */
        public Builder maxRoomsPerConnection(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRoomsPerConnection must be positive: " + max);
            }
            this.maxRoomsPerConnection = max;
            return this;
        }

        /** The longest room name, in chars; longer ones are refused before anything is allocated. Default 256. */
        public Builder maxRoomNameLength(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRoomNameLength must be positive: " + max);
            }
            this.maxRoomNameLength = max;
            return this;
        }

        /**
         * The rooms, bound to the server: its connections leave their rooms when they close.
         *
         * @throws IllegalStateException if the engine already serves another {@code Rooms}
         */
        public Rooms build() {
            return new Rooms(this);
        }
    }
}
