package io.duplex.redis;

import io.duplex.nio.PreparedMessage;
import io.duplex.nio.RoomEngine;
import io.duplex.nio.RoomFanout;
import io.duplex.nio.RoomSnapshot;
import io.duplex.nio.SequencedMessage;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RoomEngine} on Redis: rooms that span every node connected to the same Redis.
 *
 * <pre>{@code
 * RedisRoomEngine engine = RedisRoomEngine.create(RedisURI.create("redis://127.0.0.1:6379"));
 * Rooms rooms = Rooms.builder(server).engine(engine).build();
 * }</pre>
 *
 * <ul>
 *   <li><b>One order per room across nodes.</b> A publish runs one Lua script that increments the room's
 *       counter, appends the message to the room's history (a stream whose entry ids are the sequence
 *       numbers) and publishes it on the room's channel, atomically. Each node hands a room's messages to its
 *       members strictly in sequence order: a message that arrives after a hole waits (bounded) while the
 *       hole is read from history; what history no longer has is reported to the members as a gap.
 *   <li><b>Subscriptions follow members.</b> A node subscribes to a room's channel when its first local
 *       member joins and unsubscribes when the last one leaves.
 *   <li><b>History and resume</b>: the last {@link Builder#historyCount} messages, none older than
 *       {@link Builder#historyAge}; a join with {@code since} on any node replays them from Redis.
 *   <li><b>Never blocks the caller.</b> Every Redis call is asynchronous; the room bookkeeping runs on this
 *       engine's own thread. While Redis is unreachable, publishes fail at once with a
 *       {@link RedisRoomException}; at most {@link Builder#maxPendingPublishes} wait for a reply at a time.
 *       The client reconnects and resubscribes by itself, and each room then reads what it missed from
 *       history.
 * </ul>
 *
 * <p><b>The sequence number inside a payload.</b> The number is assigned inside Redis, so the message
 * function passed to {@code publish} is called with a random 18-digit placeholder, and the script writes the
 * sequence number in decimal wherever those digits appear in the payload. A payload that carries its number
 * in decimal (JSON, text) works as on one node; one that encodes it otherwise does not carry it.
 */
public final class RedisRoomEngine implements RoomEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomEngine.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final long MARKER_MIN = 100_000_000_000_000_000L;
    private static final int MAX_RESUME_READS = 5;

    private final RedisClient client;
    private final boolean ownsClient;
    private final StatefulRedisConnection<String, byte[]> commands;
    private final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private final RoomKeys keys;
    private final LuaScript publishScript = new LuaScript("publish.lua");
    private final String node;
    private final int historyCount;
    private final long historyAgeMillis;
    private final int maxPending;
    private final int maxAhead;
    private final AtomicInteger pending = new AtomicInteger();
    private final ExecutorService thread;
    /** Rooms with local members; the engine thread only. */
    private final Map<String, RoomLine> lines = new HashMap<>();
    /** Each subscribed room's last delivered sequence number, readable from any thread. */
    private final ConcurrentHashMap<String, Long> latest = new ConcurrentHashMap<>();
    private final RedisConnectionStateListener reconnects = new RedisConnectionStateListener() {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (connection == pubsub) {
                onEngineThread(RedisRoomEngine.this::resyncAll);
            }
        }
    };
    private volatile RoomFanout fanout;
    private volatile boolean closed;

    private RedisRoomEngine(Builder b) {
        this.ownsClient = b.client == null;
        this.client = ownsClient
                ? RedisClient.create(ClientResources.builder()
                        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), b.maxReconnectDelay, 2,
                                TimeUnit.MILLISECONDS))
                        .build(), b.uri)
                : b.client;
        this.keys = new RoomKeys(b.keyPrefix);
        this.node = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        this.historyCount = b.historyCount;
        this.historyAgeMillis = b.historyAge.toMillis();
        this.maxPending = b.maxPendingPublishes;
        this.maxAhead = b.maxAhead;
        if (ownsClient) {
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(Math.max(64, 4 * b.maxPendingPublishes))
                    .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
                    .build());
        }
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "duplex-redis-" + node);
            t.setDaemon(true);
            return t;
        });
        try {
            this.commands = client.connect(CODEC);
            this.pubsub = client.connectPubSub(CODEC);
        } catch (RuntimeException e) {
            thread.shutdownNow();
            if (ownsClient) {
                client.shutdown();
            }
            throw e;
        }
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                onEngineThread(() -> onMessage(channel, message));
            }
        });
        client.addListener(reconnects);
    }

    /**
     * An engine on the Redis at {@code uri} ({@code redis://[user:password@]host:port[/db]}, or
     * {@code rediss://} for TLS), with the defaults listed on {@link Builder}. Connects before it returns.
     *
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
     */
    public static RedisRoomEngine create(RedisURI uri) {
        return builder(uri).build();
    }

    /** A builder for an engine on the Redis at {@code uri}. */
    public static Builder builder(RedisURI uri) {
        return new Builder(Objects.requireNonNull(uri, "uri"), null);
    }

    /**
     * A builder for an engine on {@code client}, whose options (reconnection, timeouts, TLS) are the
     * caller's to set; the engine does not shut it down.
     */
    public static Builder builder(RedisClient client) {
        return new Builder(null, Objects.requireNonNull(client, "client"));
    }

    /** This node's id: random, and what presence entries of this node are filed under. */
    public String nodeId() {
        return node;
    }

    /** The connection for commands, for this module's other parts (presence). */
    StatefulRedisConnection<String, byte[]> commands() {
        return commands;
    }

    RoomKeys keys() {
        return keys;
    }

    @Override
    public void start(RoomFanout fanout) {
        Objects.requireNonNull(fanout, "fanout");
        synchronized (this) {
            if (this.fanout != null) {
                throw new IllegalStateException("engine already bound to a Rooms");
            }
            this.fanout = fanout;
        }
    }

    // ---- publishing: any thread, never blocks -----------------------------------------------------------

    @Override
    public CompletableFuture<Long> publish(String room, LongFunction<PreparedMessage> message) {
        Objects.requireNonNull(message, "message");
        if (closed) {
            return CompletableFuture.failedFuture(new RedisRoomException("engine closed", null));
        }
        if (!commands.isOpen()) {
            return CompletableFuture.failedFuture(new RedisRoomException(
                    "Redis unreachable: not published to room " + room, null));
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return CompletableFuture.failedFuture(new RedisRoomException(
                    maxPending + " publishes already wait for Redis: not published to room " + room, null));
        }
        try {
            long marker = MARKER_MIN + ThreadLocalRandom.current().nextLong(9 * MARKER_MIN);
            PreparedMessage m = Objects.requireNonNull(message.apply(marker), "message function returned null");
            ByteBuffer p = m.payload();
            byte[] payload = new byte[p.remaining()];
            p.get(payload);
            byte[] digits = Long.toString(marker).getBytes(StandardCharsets.US_ASCII);
            byte[][] args = {
                bytes(keys.channel(room)), new byte[] {(byte) (m.isText() ? 't' : 'b')}, payload,
                contains(payload, digits) ? digits : new byte[0], bytes(latest.getOrDefault(room, 0L)),
                bytes(historyCount), bytes(historyAgeMillis)
            };
            return publishScript.<Long>run(commands.async(), ScriptOutputType.INTEGER,
                    new String[] {keys.seq(room), keys.log(room)}, args)
                    .toCompletableFuture()
                    .handle((seq, e) -> {
                        pending.decrementAndGet();
                        if (e != null) {
                            throw new RedisRoomException("publish to room " + room + " failed (if Redis timed out,"
                                    + " it may still have been published): " + e.getMessage(), e);
                        }
                        return seq;
                    });
        } catch (RuntimeException | Error e) {
            pending.decrementAndGet();
            throw e;
        }
    }

    @Override
    public void announce(String room, PreparedMessage message, long exceptId) {
        Objects.requireNonNull(message, "message");
        if (closed || !commands.isOpen()) {
            LOG.debug("Redis unreachable: announcement to room {} dropped", room);
            return;
        }
        commands.async().publish(keys.channel(room), Envelope.announcement(node, exceptId, message))
                .exceptionally(e -> {
                    LOG.debug("announcement to room {} failed: {}", room, e.toString());
                    return 0L;
                });
    }

    @Override
    public long latest(String room) {
        return latest.getOrDefault(room, 0L);
    }

    // ---- membership: any thread; the work runs on the engine thread -------------------------------------

    @Override
    public void attach(String room, long since, Consumer<RoomSnapshot> attached) {
        Objects.requireNonNull(attached, "attached");
        if (closed) {
            throw new IllegalStateException("engine closed");
        }
        onEngineThread(() -> {
            RoomLine line = lines.get(room);
            if (line == null) {
                line = new RoomLine(room);
                lines.put(room, line);
            }
            line.attached++;
            RoomLine l = line;
            if (l.live) {
                resume(l, since, attached, 0);
            } else {
                l.waiting.add(() -> resume(l, since, attached, 0));
                if (!l.syncing) {
                    sync(l);
                }
            }
        });
    }

    @Override
    public void detach(String room) {
        onEngineThread(() -> {
            RoomLine line = lines.get(room);
            if (line != null && --line.attached <= 0) {
                drop(line);
            }
        });
    }

    private void drop(RoomLine line) {
        lines.remove(line.room);
        latest.remove(line.room);
        if (!closed) {
            pubsub.async().unsubscribe(keys.channel(line.room));
        }
    }

    // ---- the engine thread ------------------------------------------------------------------------------

    private void onEngineThread(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("room engine task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("engine closed; task dropped");
        }
    }

    /** Subscribes to the room's channel, then reads its counter: the baseline, or what a reconnect missed. */
    private void sync(RoomLine line) {
        line.syncing = true;
        pubsub.async().subscribe(keys.channel(line.room)).whenComplete((v, e) -> onEngineThread(() -> {
            if (lines.get(line.room) != line) {
                return;
            }
            if (e != null) {
                baseline(line, null, e);
                return;
            }
            commands.async().get(keys.seq(line.room)).whenComplete((seq, e2) -> onEngineThread(() -> {
                if (lines.get(line.room) == line) {
                    baseline(line, seq == null ? (e2 == null ? 0L : null) : Long.parseLong(
                            new String(seq, StandardCharsets.US_ASCII)), e2);
                }
            }));
        }));
    }

    /**
     * The subscription stands (or failed: {@code redisSeq} null) and Redis's counter is {@code redisSeq}: the
     * first time, members start from there; after a reconnect, what was published meanwhile is read from
     * history. Then the waiting joins attach and the buffered messages flow.
     */
    private void baseline(RoomLine line, Long redisSeq, Throwable failure) {
        line.syncing = false;
        if (failure != null) {
            LOG.warn("room {}: Redis unreachable while subscribing; it resubscribes on reconnect: {}", line.room,
                    failure.toString());
        }
        boolean first = !line.live;
        line.live = true;
        if (redisSeq != null) {
            if (first && line.delivered == 0) {
                line.delivered = redisSeq;
                latest.put(line.room, redisSeq);
            } else {
                line.highest = Math.max(line.highest, redisSeq);
            }
        }
        List<Runnable> waiting = new ArrayList<>(line.waiting);
        line.waiting.clear();
        for (Runnable r : waiting) {
            r.run();
        }
        drain(line);
    }

    private void resyncAll() {
        for (RoomLine line : List.copyOf(lines.values())) {
            if (!line.syncing) {
                sync(line);
            }
        }
    }

    private void onMessage(String channel, byte[] body) {
        String room = keys.roomOfChannel(channel);
        RoomLine line = room == null ? null : lines.get(room);
        if (line == null) {
            return;
        }
        Envelope e;
        try {
            e = Envelope.parse(body);
        } catch (IllegalArgumentException ex) {
            LOG.warn("room {}: unreadable message on its channel ignored", room);
            return;
        }
        if (e.seq() == 0) {
            if (line.live) {
                fanout.deliver(room, 0, e.message(), node.equals(e.node()) ? e.exceptId() : 0);
            }
            return;
        }
        line.highest = Math.max(line.highest, e.seq());
        if (line.live && e.seq() <= line.delivered) {
            return;
        }
        if (line.live && !line.filling && e.seq() == line.delivered + 1) {
            deliver(line, e.seq(), e.message());
        } else if (line.ahead.size() < maxAhead) {
            line.ahead.put(e.seq(), e.message());
        } else if (!line.live) {
            // Before the baseline the oldest are the likeliest to be behind it; the rest is in history.
            line.ahead.pollFirstEntry();
            line.ahead.put(e.seq(), e.message());
        }
        drain(line);
    }

    /** Delivers what follows {@code delivered} in order; a hole starts a history read. */
    private void drain(RoomLine line) {
        if (!line.live) {
            return;
        }
        while (!line.filling) {
            var first = line.ahead.firstEntry();
            if (first == null) {
                if (line.highest > line.delivered) {
                    fill(line, line.highest);
                }
                return;
            }
            long seq = first.getKey();
            if (seq <= line.delivered) {
                line.ahead.pollFirstEntry();
            } else if (seq == line.delivered + 1) {
                line.ahead.pollFirstEntry();
                deliver(line, seq, first.getValue());
            } else {
                fill(line, seq - 1);
            }
        }
    }

    /** Reads {@code delivered+1 .. upTo} from history; what it does not hold becomes a gap. */
    private void fill(RoomLine line, long upTo) {
        line.filling = true;
        long from = line.delivered + 1;
        commands.async().xrange(keys.log(line.room), Range.create(from + "-0", upTo + "-0"))
                .whenComplete((entries, e) -> onEngineThread(() -> {
                    if (lines.get(line.room) != line) {
                        return;
                    }
                    line.filling = false;
                    if (e != null) {
                        LOG.warn("room {}: history unreadable ({}); {}..{} reported as a gap", line.room,
                                e.toString(), from, upTo);
                    } else {
                        for (StreamMessage<String, byte[]> s : entries) {
                            long seq = seqOf(s);
                            if (seq > line.delivered && seq <= upTo) {
                                if (seq > line.delivered + 1) {
                                    gap(line, line.delivered + 1, seq - 1);
                                }
                                deliver(line, seq, messageOf(s));
                            }
                        }
                    }
                    if (line.delivered < upTo) {
                        gap(line, line.delivered + 1, upTo);
                    }
                    drain(line);
                }));
    }

    private void deliver(RoomLine line, long seq, PreparedMessage m) {
        fanout.deliver(line.room, seq, m, 0);
        line.delivered = seq;
        latest.put(line.room, seq);
    }

    private void gap(RoomLine line, long from, long to) {
        fanout.gap(line.room, from, to);
        line.delivered = to;
        latest.put(line.room, to);
    }

    /**
     * Attaches a member at the room's current point: with {@code since}, reads the kept messages after it
     * from history; read again if messages were delivered here after Redis answered.
     */
    private void resume(RoomLine line, long since, Consumer<RoomSnapshot> attached, int reads) {
        long latestHere = line.delivered;
        if (since < 0 || since >= latestHere) {
            attach(line, attached, new RoomSnapshot(line.room, latestHere, 0, 0, List.of()));
            return;
        }
        if (historyCount == 0 || reads >= MAX_RESUME_READS) {
            attach(line, attached, new RoomSnapshot(line.room, latestHere, since + 1, latestHere, List.of()));
            return;
        }
        commands.async().xrange(keys.log(line.room), Range.create((since + 1) + "-0", "+"))
                .whenComplete((entries, e) -> onEngineThread(() -> {
                    long now = line.delivered;
                    if (e != null) {
                        LOG.warn("room {}: history unreadable for a resume ({}); reported as a gap", line.room,
                                e.toString());
                        attach(line, attached, new RoomSnapshot(line.room, now, since + 1, now, List.of()));
                        return;
                    }
                    List<SequencedMessage> replay = new ArrayList<>();
                    for (StreamMessage<String, byte[]> s : entries) {
                        long seq = seqOf(s);
                        if (seq > since && seq <= now) {
                            replay.add(new SequencedMessage(seq, messageOf(s)));
                        }
                    }
                    long last = replay.isEmpty() ? since : replay.get(replay.size() - 1).seq();
                    if (!replay.isEmpty() && last < now) {
                        // Delivered here after Redis answered: read again, from the same point.
                        resume(line, since, attached, reads + 1);
                        return;
                    }
                    if (replay.isEmpty()) {
                        attach(line, attached, new RoomSnapshot(line.room, now, since + 1, now, List.of()));
                        return;
                    }
                    long firstKept = replay.get(0).seq();
                    long gapFrom = firstKept > since + 1 ? since + 1 : 0;
                    long gapTo = gapFrom == 0 ? 0 : firstKept - 1;
                    attach(line, attached, new RoomSnapshot(line.room, now, gapFrom, gapTo, replay));
                }));
    }

    private void attach(RoomLine line, Consumer<RoomSnapshot> attached, RoomSnapshot snapshot) {
        try {
            attached.accept(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("room {}: attach failed and was undone", line.room, e);
            if (lines.get(line.room) == line && --line.attached <= 0) {
                drop(line);
            }
        }
    }

    private static long seqOf(StreamMessage<String, byte[]> s) {
        String id = s.getId();
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    private static PreparedMessage messageOf(StreamMessage<String, byte[]> s) {
        byte[] op = s.getBody().get("o");
        byte[] m = s.getBody().get("m");
        return Envelope.message(op != null && op.length == 1 && op[0] == 't', m == null ? new byte[0] : m, 0);
    }

    private static byte[] bytes(Object o) {
        return String.valueOf(o).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Stops: closes the connections (and the client, if this engine created it). Local members stop
     * receiving room messages; Redis keeps the rooms' counters and history.
     */
    @Override
    public void close() {
        closed = true;
        client.removeListener(reconnects);
        thread.shutdown();
        pubsub.close();
        commands.close();
        if (ownsClient) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            client.getResources().shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Builds a {@link RedisRoomEngine}. Not thread-safe. */
    public static final class Builder {
        private final RedisURI uri;
        private final RedisClient client;
        private String keyPrefix = "duplex:";
        private int historyCount = 100;
        private Duration historyAge = Duration.ofMinutes(10);
        private int maxPendingPublishes = 1_000;
        private Duration commandTimeout = Duration.ofSeconds(2);
        private int maxAhead = 1_000;
        private Duration maxReconnectDelay = Duration.ofSeconds(1);

        private Builder(RedisURI uri, RedisClient client) {
            this.uri = uri;
            this.client = client;
        }

        /** What every Redis key and channel of this engine starts with. Default {@code "duplex:"}. */
        public Builder keyPrefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
                throw new IllegalArgumentException("keyPrefix must not contain braces: " + prefix);
            }
            this.keyPrefix = prefix;
            return this;
        }

        /** The most messages each room keeps in Redis for resume; 0 keeps none. Default 100. */
        public Builder historyCount(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("historyCount must not be negative: " + count);
            }
            this.historyCount = count;
            return this;
        }

        /**
         * How long a kept message stays: older ones are dropped at the room's next publish, and a room's whole
         * history expires when it has been idle this long. Default 10 minutes.
         */
        public Builder historyAge(Duration age) {
            if (age.toMillis() < 1) {
                throw new IllegalArgumentException("historyAge must be at least 1 ms: " + age);
            }
            this.historyAge = age;
            return this;
        }

        /**
         * The most publishes of this node waiting for Redis's answer at once; one more fails at once with a
         * {@link RedisRoomException}. Default 1,000.
         */
        public Builder maxPendingPublishes(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingPublishes must be positive: " + max);
            }
            this.maxPendingPublishes = max;
            return this;
        }

        /**
         * How long a Redis command may take before it fails (with a client this engine creates). Default 2 s.
         */
        public Builder commandTimeout(Duration timeout) {
            if (timeout.toMillis() < 1) {
                throw new IllegalArgumentException("commandTimeout must be at least 1 ms: " + timeout);
            }
            this.commandTimeout = timeout;
            return this;
        }

        /**
         * The longest wait between two reconnection attempts (with a client this engine creates); the waits
         * grow from 10 ms, doubling. Default 1 s.
         */
        public Builder maxReconnectDelay(Duration delay) {
            if (delay.toMillis() < 10) {
                throw new IllegalArgumentException("maxReconnectDelay must be at least 10 ms: " + delay);
            }
            this.maxReconnectDelay = delay;
            return this;
        }

        /**
         * The most messages per room held back on this node while a hole before them is read from history;
         * later ones are read from history too. Default 1,000.
         */
        public Builder maxAhead(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxAhead must be positive: " + max);
            }
            this.maxAhead = max;
            return this;
        }

        /**
         * The engine, connected.
         *
         * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
         */
        public RedisRoomEngine build() {
            return new RedisRoomEngine(this);
        }
    }
}
