package io.duplex.redis;

import io.duplex.nio.PreparedMessage;
import io.duplex.nio.RoomEngine;
import io.duplex.nio.RoomFanout;
import io.duplex.nio.RoomSnapshot;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslOptions;
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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.random.RandomGenerator;
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
 * sequence number in decimal wherever those digits appear in the payload (text or binary; the rest of the
 * payload is never interpreted). A payload that carries its number
 * in decimal (JSON, text) works as on one node; one that encodes it otherwise does not carry it.
 */
public final class RedisRoomEngine implements RoomEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomEngine.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

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
    private final RoomLines lines;
    private final AtomicInteger pending = new AtomicInteger();
    private final RedisConnectionStateListener reconnects = new RedisConnectionStateListener() {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (connection == pubsub) {
                lines.reconnected();
            } else if (connection == commands) {
                publishScript.forget();
                lines.commandsReconnected();
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
        if (ownsClient) {
            ClientOptions.Builder options = ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(Math.max(64, 4 * b.maxPendingPublishes))
                    .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout));
            if (b.sslOptions != null) {
                options.sslOptions(b.sslOptions);
            }
            client.setOptions(options.build());
        }
        try {
            this.commands = client.connect(CODEC);
            this.pubsub = client.connectPubSub(CODEC);
        } catch (RuntimeException e) {
            if (ownsClient) {
                client.shutdown();
                client.getResources().shutdown();
            }
            throw e;
        }
        this.lines = new RoomLines(keys, commands, pubsub, node, historyCount, b.maxAhead,
                b.maxReconnectDelay.toMillis());
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                lines.received(channel, message);
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
        lines.start(fanout);
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
            long marker = placeholder(ThreadLocalRandom.current());
            PreparedMessage m = Objects.requireNonNull(message.apply(marker), "message function returned null");
            ByteBuffer p = m.payload();
            byte[] payload = new byte[p.remaining()];
            p.get(payload);
            byte[] digits = Long.toString(marker).getBytes(StandardCharsets.US_ASCII);
            byte[][] args = {
                bytes(keys.channel(room)), new byte[] {(byte) (m.isText() ? 't' : 'b')}, payload,
                contains(payload, digits) ? digits : new byte[0], bytes(lines.latest(room)),
                bytes(historyCount), bytes(historyAgeMillis)
            };
            // In order: two publishes made one after the other take their numbers in that order.
            return publishScript.<Long>runInOrder(commands.async(), ScriptOutputType.INTEGER,
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
        return lines.latest(room);
    }

    // ---- membership: any thread; the work runs on the engine thread -------------------------------------

    @Override
    public void attach(String room, long since, Consumer<RoomSnapshot> attached) {
        Objects.requireNonNull(attached, "attached");
        if (closed) {
            throw new IllegalStateException("engine closed");
        }
        lines.attach(room, since, attached);
    }

    @Override
    public void detach(String room) {
        lines.detach(room);
    }

    /**
     * An 18-digit placeholder for a sequence number: 9, then 17 digits from 0 to 8. Its first digit occurs
     * nowhere else in it, so no proper prefix of it is also a suffix and two occurrences can never overlap:
     * digits written right before or after the number (by the application or a client's text) can never make
     * the script find the placeholder at a shifted position. Drawn fresh for each publish and never sent
     * anywhere but to the script, so a client cannot write it into its text on purpose.
     */
    static long placeholder(RandomGenerator random) {
        long p = 9;
        for (int i = 0; i < 17; i++) {
            p = p * 10 + random.nextInt(9);
        }
        return p;
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
        lines.close();
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
        private SslOptions sslOptions;

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
         * TLS settings for a {@code rediss://} URI (with a client this engine creates): which certificates to
         * trust, a client certificate, protocols. For a server certificate that the JVM's trust store does not
         * cover, for example {@code SslOptions.builder().jdkSslProvider().trustManager(caPemFile).build()}.
         * Default: Lettuce's, which trust the JVM's trust store and verify the server's host name.
         */
        public Builder sslOptions(SslOptions options) {
            this.sslOptions = Objects.requireNonNull(options, "options");
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
