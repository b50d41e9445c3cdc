package io.duplex.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.WebSocketClient;
import io.duplex.testing.RedisServer;
import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One test's real redis-server, the {@link Node}s on it and their {@link Member}s, closed together in reverse
 * order of creation.
 */
final class Cluster implements AutoCloseable {

    final RedisServer redis;
    private final EventLoopGroup loops;
    private final WebSocketClient clients;
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Starts redis-server (or skips the test, failing it under CI=true, when it is missing). */
    Cluster() throws Exception {
        this(RedisServer.start());
    }

    /** On {@code redis}, which it closes. */
    Cluster(RedisServer redis) {
        this.redis = redis;
        loops = EventLoopGroup.create(2);
        clients = WebSocketClient.builder().loops(loops).build();
    }

    Node node(Consumer<RedisRoomEngine.Builder> options) throws Exception {
        Node n = new Node(loops, RedisURI.create(redis.url()), options);
        open.add(n);
        return n;
    }

    Member member(Node node) throws Exception {
        Member m = new Member(clients, node);
        open.add(m);
        return m;
    }

    /** Waits for {@code condition}; the 20 s deadline only bounds a hang. */
    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        clients.close();
        loops.close();
        redis.close();
    }
}
