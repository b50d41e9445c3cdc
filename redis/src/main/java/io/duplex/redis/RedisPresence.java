package io.duplex.redis;

import io.duplex.nio.RoomMember;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in a room on every node, kept in Redis next to a {@link RedisRoomEngine}'s rooms: one hash per room
 * (field {@code node/connection}, value the member's label as text). The application reports its members'
 * joins and leaves (from its {@link io.duplex.nio.RoomListener}) and asks {@link #members}.
 *
 * <p><b>Nodes that die.</b> Each node beats every {@code heartbeat} into a sorted set of nodes; a node whose
 * last beat is older than {@code ttl} is dead, and the next beat of any live node removes its members,
 * atomically (one script), and hands each removed member to the {@link SweepListener} of exactly one node, so
 * the application can announce the leave. A dead node's members are gone from {@link #members} within
 * {@code ttl + heartbeat}. When Redis loses the entries (a restart without persistence) or an update failed
 * while Redis was unreachable, the node writes its members again at its next beat.
 */
public final class RedisPresence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);
    private static final int MAX_DEAD_PER_BEAT = 16;

    /** Hears of members removed because their node died. */
    @FunctionalInterface
    public interface SweepListener {
        /** {@code label}'s member of {@code room}, on a node that stopped beating, was removed. */
        void removed(String room, String label);
    }

    private final RedisRoomEngine engine;
    private final RoomKeys keys;
    private final String node;
    private final long ttlMillis;
    private final SweepListener swept;
    private final LuaScript heartbeat = new LuaScript("heartbeat.lua");
    private final LuaScript register = new LuaScript("register.lua");
    /** This node's members: room, then connection id, then label. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<Long, String>> local = new ConcurrentHashMap<>();
    /** Redis may not hold what {@link #local} says: write it all at the next beat. */
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    /** Counts joins and leaves, so a rewrite that raced one is done again. */
    private final AtomicLong changes = new AtomicLong();
    private final ScheduledExecutorService timer;

    private RedisPresence(RedisRoomEngine engine, Duration heartbeatEvery, Duration ttl, SweepListener swept) {
        this.engine = engine;
        this.keys = engine.keys();
        this.node = engine.nodeId();
        this.ttlMillis = ttl.toMillis();
        this.swept = swept;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "duplex-redis-presence-" + node);
            t.setDaemon(true);
            return t;
        });
        long every = heartbeatEvery.toMillis();
        timer.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Presence for {@code engine}'s rooms, beating every {@code heartbeat}; a node silent for {@code ttl} is
     * dead. Typical: 1 s and 5 s.
     *
     * @throws IllegalArgumentException unless {@code ttl} is at least twice {@code heartbeat}
     */
    public static RedisPresence create(RedisRoomEngine engine, Duration heartbeat, Duration ttl,
            SweepListener swept) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(swept, "swept");
        if (heartbeat.toMillis() < 10 || ttl.toMillis() < 2 * heartbeat.toMillis()) {
            throw new IllegalArgumentException("heartbeat must be at least 10 ms and ttl at least twice it: "
                    + heartbeat + ", " + ttl);
        }
        return new RedisPresence(engine, heartbeat, ttl, swept);
    }

    /** Records {@code m} (a local member) in its room's presence; never blocks. */
    public void joined(RoomMember m) {
        String label = String.valueOf((Object) m.label());
        local.computeIfAbsent(m.room(), r -> new ConcurrentHashMap<>()).put(m.connectionId(), label);
        changes.incrementAndGet();
        RedisAsyncCommands<String, byte[]> redis = engine.commands().async();
        track(redis.hset(keys.who(m.room()), field(m.connectionId()), bytes(label)));
        track(redis.sadd(keys.nodeRooms(node), bytes(RoomKeys.tag(m.room()))));
    }

    /** Removes {@code m} (a local member that left or closed) from its room's presence; never blocks. */
    public void left(RoomMember m) {
        local.computeIfPresent(m.room(), (r, members) -> {
            members.remove(m.connectionId());
            return members.isEmpty() ? null : members;
        });
        changes.incrementAndGet();
        track(engine.commands().async().hdel(keys.who(m.room()), field(m.connectionId())));
    }

    /** The labels of {@code room}'s members on every node, sorted; fails if Redis cannot answer. */
    public CompletableFuture<List<String>> members(String room) {
        return engine.commands().async().hvals(keys.who(room)).toCompletableFuture().handle((values, e) -> {
            if (e != null) {
                throw new RedisRoomException("members of room " + room + " unknown: " + e.getMessage(), e);
            }
            List<String> out = new ArrayList<>(values.size());
            for (byte[] v : values) {
                out.add(new String(v, StandardCharsets.UTF_8));
            }
            out.sort(null);
            return out;
        });
    }

    private void track(io.lettuce.core.RedisFuture<?> f) {
        f.exceptionally(e -> {
            dirty.set(true);
            return null;
        });
    }

    private String field(long connectionId) {
        return node + "/" + connectionId;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One beat: on the timer thread, waiting at most a command timeout for Redis. */
    private void beat() {
        if (!engine.commands().isOpen()) {
            dirty.set(true);
            return;
        }
        try {
            List<Object> out = heartbeat.<List<Object>>run(engine.commands().async(), ScriptOutputType.MULTI,
                    new String[] {keys.nodes()}, bytes(keys.prefix()), bytes(node), bytes(Long.toString(ttlMillis)),
                    bytes(Integer.toString(MAX_DEAD_PER_BEAT))).toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (((Long) out.get(0)) == 1L) {
                dirty.set(true);
            }
            for (int i = 1; i + 1 < out.size(); i += 2) {
                String room = RoomKeys.roomOfTag(new String((byte[]) out.get(i), StandardCharsets.US_ASCII));
                if (room != null) {
                    try {
                        swept.removed(room, new String((byte[]) out.get(i + 1), StandardCharsets.UTF_8));
                    } catch (RuntimeException e) {
                        LOG.warn("sweep listener failed", e);
                    }
                }
            }
            if (dirty.getAndSet(false)) {
                rewrite();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            dirty.set(true);
            LOG.debug("presence heartbeat failed: {}", e.toString());
        }
    }

    /** Writes this node's members again, replacing whatever Redis holds for it. */
    private void rewrite() throws Exception {
        long before = changes.get();
        List<byte[]> args = new ArrayList<>();
        args.add(bytes(keys.prefix()));
        args.add(bytes(node));
        for (Map.Entry<String, ConcurrentHashMap<Long, String>> room : local.entrySet()) {
            String tag = RoomKeys.tag(room.getKey());
            for (Map.Entry<Long, String> m : room.getValue().entrySet()) {
                args.add(bytes(tag));
                args.add(bytes(field(m.getKey())));
                args.add(bytes(m.getValue()));
            }
        }
        var done = register.run(engine.commands().async(), ScriptOutputType.INTEGER,
                new String[] {keys.nodeRooms(node)}, args.toArray(new byte[0][])).toCompletableFuture();
        if (changes.get() != before) {
            dirty.set(true); // a join or leave sent meanwhile may have gone before the rewrite
        }
        done.get(30, TimeUnit.SECONDS);
    }

    /** Stops beating; this node's entries stay until it is swept as dead or written again. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
