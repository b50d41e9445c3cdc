package io.duplex.redis;

import io.duplex.nio.PreparedMessage;
import io.duplex.nio.RoomFanout;
import io.duplex.nio.RoomSnapshot;
import io.duplex.nio.SequencedMessage;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms with members on this node, in {@link RedisRoomEngine}: subscribes and unsubscribes their
 * channels, and hands each room's messages to the fan-out strictly in sequence order, on one thread of its
 * own. Messages after a hole wait (bounded) while the hole is read from history; what history lost becomes a
 * gap. A join with {@code since} reads the kept messages from history, or waits for this node to deliver up to
 * {@code since} when another node was ahead.
 */
final class RoomLines {

    private static final Logger LOG = LoggerFactory.getLogger(RoomLines.class);
    private static final int MAX_RESUME_READS = 5;
    private static final long FIRST_RETRY_MILLIS = 10;

    private final RoomKeys keys;
    private final String node;
    private final StatefulRedisConnection<String, byte[]> commands;
    private final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private final int historyCount;
    private final int maxAhead;
    private final long maxRetryMillis;
    private final ScheduledThreadPoolExecutor thread;
    private final LuaScript baselineScript = new LuaScript("baseline.lua");
    /** Rooms with local members; the engine thread only. */
    private final Map<String, RoomLine> lines = new HashMap<>();
    /** Each subscribed room's last delivered sequence number, readable from any thread. */
    private final ConcurrentHashMap<String, Long> latest = new ConcurrentHashMap<>();
    private volatile RoomFanout fanout;
    private volatile boolean closed;

    RoomLines(RoomKeys keys, StatefulRedisConnection<String, byte[]> commands,
            StatefulRedisPubSubConnection<String, byte[]> pubsub, String node, int historyCount, int maxAhead,
            long maxRetryMillis) {
        this.keys = keys;
        this.node = node;
        this.commands = commands;
        this.pubsub = pubsub;
        this.historyCount = historyCount;
        this.maxAhead = maxAhead;
        this.maxRetryMillis = maxRetryMillis;
        this.thread = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "duplex-redis-" + node);
            t.setDaemon(true);
            return t;
        });
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    // ---- any thread ---------------------------------------------------------------------------------------

    /** Binds the fan-out, before any other call. */
    void start(RoomFanout fanout) {
        this.fanout = fanout;
    }

    /** The room's last delivered number on this node; 0 when no local member is in it. */
    long latest(String room) {
        return latest.getOrDefault(room, 0L);
    }

    /** A local member joins: see {@link io.duplex.nio.RoomEngine#attach}. */
    void attach(String room, long since, Consumer<RoomSnapshot> attached) {
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

    /** A local member left. */
    void detach(String room) {
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

    /** A message arrived on a channel (on the Redis client's thread). */
    void received(String channel, byte[] body) {
        onEngineThread(() -> onMessage(channel, body));
    }

    /** The pub/sub connection (re)connected: every room reads what it may have missed. */
    void reconnected() {
        onEngineThread(this::resyncAll);
    }

    /**
     * The command connection (re)connected: the rooms whose baseline failed meanwhile try again now rather
     * than at their next retry. The two connections reconnect independently, each on its own backoff, so this
     * one may come back well after the pub/sub connection did.
     */
    void commandsReconnected() {
        onEngineThread(() -> {
            for (RoomLine line : List.copyOf(lines.values())) {
                if (line.stale && !line.syncing) {
                    sync(line);
                }
            }
        });
    }

    /** Stops the engine thread; later calls do nothing. */
    void close() {
        closed = true;
        thread.shutdown();
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

    /**
     * Subscribes to the room's channel, then reads its counter (raised to what this node delivered, if Redis
     * lost it): the baseline, or what a reconnect missed.
     */
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
            readCounter(line).whenComplete((seq, e2) -> onEngineThread(() -> {
                if (lines.get(line.room) == line) {
                    baseline(line, e2 == null ? seq : null, e2);
                }
            }));
        }));
    }

    /** Reads the room's counter from Redis, first raised to what this node delivered if Redis lost it. */
    private CompletionStage<Long> readCounter(RoomLine line) {
        return baselineScript.run(commands.async(), ScriptOutputType.INTEGER, new String[] {keys.seq(line.room)},
                Long.toString(line.delivered).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The subscription stands (or failed: {@code redisSeq} null) and Redis's counter is {@code redisSeq}: the
     * first time, members start from there; after a reconnect, what was published meanwhile is read from
     * history. Then the waiting joins attach and the buffered messages flow. A failure is retried (with
     * backoff, and at once when a connection comes back) until it succeeds or the room's last member leaves:
     * until then Redis may hold a counter below what this node delivered (after a restart without persistence).
     */
    private void baseline(RoomLine line, Long redisSeq, Throwable failure) {
        line.syncing = false;
        if (failure != null) {
            line.stale = true;
            if (line.retryMillis == 0) {
                LOG.warn("room {}: Redis unreachable while subscribing; retried until it answers: {}", line.room,
                        failure.toString());
                line.retryMillis = FIRST_RETRY_MILLIS;
            } else {
                LOG.debug("room {}: subscribing failed again: {}", line.room, failure.toString());
                line.retryMillis = Math.min(2 * line.retryMillis, maxRetryMillis);
            }
            retryLater(line);
        } else {
            line.stale = false;
            line.retryMillis = 0;
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

    /**
     * Retries a failed subscription after the line's backoff. While a connection is down the retry stands down:
     * that connection's reconnect resyncs the room (it is handled on this thread after the retry, which found
     * the connection down), so a long outage costs no attempt per room.
     */
    private void retryLater(RoomLine line) {
        try {
            thread.schedule(() -> onEngineThread(() -> {
                if (lines.get(line.room) == line && line.stale && !line.syncing && commands.isOpen()
                        && pubsub.isOpen()) {
                    sync(line);
                }
            }), line.retryMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("engine closed; retry dropped");
        }
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
        line.record(seq, m, maxAhead);
        line.delivered = seq;
        latest.put(line.room, seq);
        resumeCaughtUp(line);
    }

    private void gap(RoomLine line, long from, long to) {
        fanout.gap(line.room, from, to);
        line.delivered = to;
        latest.put(line.room, to);
        resumeCaughtUp(line);
    }

    /** The resumes that waited for this node to reach their point go on, in the room's delivery order. */
    private void resumeCaughtUp(RoomLine line) {
        for (RoomLine.Behind b : line.caughtUp()) {
            resume(line, b.since(), b.attached(), 0);
        }
    }

    /**
     * A member resumes from {@code since}, beyond what this node delivered: it saw those messages through
     * another node, which was ahead. Attaching now would hand it (delivered, since] again, so it waits until
     * this node delivered them, reading the room's counter to tell a node behind from a resume point beyond
     * the room (a room Redis forgot): that one attaches at once, as the in-memory engine does.
     */
    private void resumeAhead(RoomLine line, long since, Consumer<RoomSnapshot> attached) {
        readCounter(line).whenComplete((seq, e) -> onEngineThread(() -> {
            long now = line.delivered;
            if (e != null || since > seq) {
                if (e != null) {
                    LOG.warn("room {}: counter unreadable for a resume from {} ({}); attached at {}",
                            line.room, since, e.toString(), now);
                }
                attach(line, attached, new RoomSnapshot(line.room, now, 0, 0, List.of()));
            } else if (since <= now) {
                resume(line, since, attached, 0);
            } else {
                line.waitFor(since, attached);
                line.highest = Math.max(line.highest, seq);
                drain(line);
            }
        }));
    }

    /**
     * Attaches a member at the room's current point: with {@code since}, reads the kept messages after it
     * from history. The messages delivered here while Redis answers are recorded meanwhile and complete the
     * replay; if they do not join up (more than {@code maxAhead} of them, or a gap in between), it reads again.
     */
    private void resume(RoomLine line, long since, Consumer<RoomSnapshot> attached, int reads) {
        long latestHere = line.delivered;
        if (since > latestHere) {
            resumeAhead(line, since, attached);
            return;
        }
        if (since < 0 || since == latestHere) {
            attach(line, attached, new RoomSnapshot(line.room, latestHere, 0, 0, List.of()));
            return;
        }
        if (historyCount == 0 || reads >= MAX_RESUME_READS) {
            attach(line, attached, new RoomSnapshot(line.room, latestHere, since + 1, latestHere, List.of()));
            return;
        }
        line.startRecording();
        commands.async().xrange(keys.log(line.room), Range.create((since + 1) + "-0", "+"))
                .whenComplete((entries, e) -> onEngineThread(() -> {
                    List<SequencedMessage> recorded = line.stopRecording();
                    long now = line.delivered;
                    if (e != null) {
                        LOG.warn("room {}: history unreadable for a resume ({}); reported as a gap", line.room,
                                e.toString());
                        attach(line, attached, new RoomSnapshot(line.room, now, since + 1, now, List.of()));
                        return;
                    }
                    TreeMap<Long, SequencedMessage> kept = new TreeMap<>();
                    for (StreamMessage<String, byte[]> s : entries) {
                        long seq = seqOf(s);
                        if (seq > since && seq <= now) {
                            kept.put(seq, new SequencedMessage(seq, messageOf(s)));
                        }
                    }
                    for (SequencedMessage m : recorded) {
                        if (m.seq() > since && m.seq() <= now) {
                            kept.putIfAbsent(m.seq(), m);
                        }
                    }
                    if (kept.isEmpty()) {
                        attach(line, attached, new RoomSnapshot(line.room, now, since + 1, now, List.of()));
                        return;
                    }
                    long first = kept.firstKey();
                    if (kept.lastKey() != now || kept.size() != now - first + 1) {
                        resume(line, since, attached, reads + 1); // a hole: delivered here beyond the record
                        return;
                    }
                    long gapFrom = first > since + 1 ? since + 1 : 0;
                    long gapTo = gapFrom == 0 ? 0 : first - 1;
                    attach(line, attached, new RoomSnapshot(line.room, now, gapFrom, gapTo,
                            new ArrayList<>(kept.values())));
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
}
