package io.duplex.nio;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The single-node {@link RoomEngine}, and the default: each room's sequencer is a lock held while its next
 * sequence number is assigned, the message kept and handed to every member's event loop, so the loops'
 * first-in-first-out task queues deliver one order to all members. Publishers to one room therefore take
 * turns (the cost of one order: a lock handover per publish, and a fan-out under it that only enqueues);
 * publishers to different rooms never wait for each other.
 *
 * <p>History is kept in memory, bounded by a count, by bytes and optionally by age per room. A room is
 * forgotten (its sequence starts again at 0) when its last member leaves, unless it keeps history; rooms that
 * keep history stay until their messages pass {@link Builder#historyMaxAge} (checked whenever the room is
 * used) or {@link Builder#maxRooms} forces out an idle one.
 */
public final class InMemoryRoomEngine implements RoomEngine {

    private final int historyCount;
    private final long historyBytes;
    /** In the clock's nanoseconds; 0 for no age bound. */
    private final long historyMaxAgeNanos;
    private final LongSupplier clock;
    private final int maxRooms;
    private final ConcurrentHashMap<String, Log> logs = new ConcurrentHashMap<>();
    private final AtomicInteger roomCount = new AtomicInteger();
    private volatile RoomFanout fanout;

    private InMemoryRoomEngine(Builder b) {
        this.historyCount = b.historyCount;
        this.historyBytes = b.historyBytes;
        this.historyMaxAgeNanos = b.historyMaxAge.toNanos();
        this.clock = b.clock;
        this.maxRooms = b.maxRooms;
    }

    /** A builder with the defaults listed on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One room's sequence, history and local attach count, guarded by itself: it is its own lock, so a room
     * costs one object less.
     */
    private static final class Log extends ReentrantLock {
        long seq;
        int attached;
        /** Kept messages, consecutive sequence numbers ending at {@link #seq}; null until the first is kept. */
        ArrayDeque<SequencedMessage> kept;
        long keptBytes;
        /** Removed from the map: whoever locks it must look the room up again. */
        boolean dead;
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

    @Override
    public CompletableFuture<Long> publish(String room, LongFunction<PreparedMessage> message) {
        Objects.requireNonNull(message, "message");
        Log log = lock(room, historyCount > 0);
        if (log == null) {
            return CompletableFuture.completedFuture(0L);
        }
        try {
            long seq = log.seq + 1;
            PreparedMessage m = Objects.requireNonNull(message.apply(seq), "message function returned null");
            log.seq = seq;
            keep(log, seq, m);
            fanout.deliver(room, seq, m, 0);
            return CompletableFuture.completedFuture(seq);
        } finally {
            unlock(room, log);
        }
    }

    @Override
    public void announce(String room, PreparedMessage message, long exceptId) {
        Objects.requireNonNull(message, "message");
        Log log = lock(room, false);
        if (log == null) {
            return;
        }
        try {
            fanout.deliver(room, 0, message, exceptId);
        } finally {
            unlock(room, log);
        }
    }

    @Override
    public void attach(String room, long since, Consumer<RoomSnapshot> attached) {
        Log log = lock(room, true);
        try {
            RoomSnapshot snapshot = snapshot(room, log, since);
            log.attached++;
            try {
                attached.accept(snapshot);
            } catch (RuntimeException | Error e) {
                log.attached--;
                throw e;
            }
        } finally {
            unlock(room, log);
        }
    }

    @Override
    public void detach(String room) {
        Log log = lock(room, false);
        if (log == null) {
            return;
        }
        try {
            if (log.attached > 0) {
                log.attached--;
            }
        } finally {
            unlock(room, log);
        }
    }

    @Override
    public long latest(String room) {
        Log log = lock(room, false);
        if (log == null) {
            return 0;
        }
        try {
            return log.seq;
        } finally {
            unlock(room, log);
        }
    }

    /** Rooms this engine holds now (with members or history). */
    public int roomCount() {
        return roomCount.get();
    }

    private RoomSnapshot snapshot(String room, Log log, long since) {
        long latest = log.seq;
        if (since < 0 || since >= latest) {
            // No resume, or nothing after it (a since beyond latest: the room was forgotten; latest says so).
            return new RoomSnapshot(room, latest, 0, 0, List.of());
        }
        long firstKept = log.kept == null || log.kept.isEmpty() ? latest + 1 : log.kept.peekFirst().seq();
        long gapFrom = 0;
        long gapTo = 0;
        if (since + 1 < firstKept) {
            gapFrom = since + 1;
            gapTo = firstKept - 1;
        }
        List<SequencedMessage> replay = new ArrayList<>();
        if (log.kept != null) {
            for (SequencedMessage m : log.kept) {
                if (m.seq() > since) {
                    replay.add(m);
                }
            }
        }
        return new RoomSnapshot(room, latest, gapFrom, gapTo, replay);
    }

    private void keep(Log log, long seq, PreparedMessage m) {
        if (historyCount == 0) {
            return;
        }
        if (log.kept == null) {
            log.kept = new ArrayDeque<>(Math.min(historyCount, 16));
        }
        log.kept.addLast(new SequencedMessage(seq, m, historyMaxAgeNanos > 0 ? clock.getAsLong() : 0));
        log.keptBytes += m.frameLength();
        while (log.kept.size() > historyCount || (log.keptBytes > historyBytes && !log.kept.isEmpty())) {
            log.keptBytes -= log.kept.pollFirst().message().frameLength();
        }
    }

    /**
     * Drops the kept messages older than {@link Builder#historyMaxAge}, oldest first.
     *
     * @return whether it dropped any
     */
    private boolean expire(Log log) {
        if (historyMaxAgeNanos == 0 || log.kept == null || log.kept.isEmpty()) {
            return false;
        }
        long now = clock.getAsLong();
        boolean dropped = false;
        // Subtracted, not compared: the clock is System.nanoTime, whose values may wrap.
        while (!log.kept.isEmpty() && now - log.kept.peekFirst().keptAt > historyMaxAgeNanos) {
            log.keptBytes -= log.kept.pollFirst().message().frameLength();
            dropped = true;
        }
        return dropped;
    }

    /** Whether nothing needs the room any more: no member here and no history. */
    private static boolean idle(Log log) {
        return log.attached == 0 && (log.kept == null || log.kept.isEmpty());
    }

    /**
     * The room's log, locked, its expired history dropped; null when it does not exist and {@code create} is
     * false. A room whose last kept messages expired while it had no member is forgotten first.
     *
     * @throws IllegalStateException when creating it would pass {@link Builder#maxRooms} and no idle room
     *     can be forgotten
     */
    private Log lock(String room, boolean create) {
        Objects.requireNonNull(room, "room");
        for (;;) {
            Log log = logs.get(room);
            if (log == null) {
                if (!create) {
                    return null;
                }
                log = create(room);
            }
            log.lock();
            if (!log.dead) {
                if (!expire(log) || !idle(log)) {
                    return log;
                }
                retire(room, log);
            }
            log.unlock();
        }
    }

    private Log create(String room) {
        if (roomCount.get() >= maxRooms) {
            forgetOneIdle();
        }
        return logs.computeIfAbsent(room, n -> {
            if (roomCount.incrementAndGet() > maxRooms) {
                roomCount.decrementAndGet();
                throw new IllegalStateException("room limit reached (" + maxRooms + " rooms)");
            }
            return new Log();
        });
    }

    /** Forgets a room that has no member (one that only keeps history), to make room for a new one. */
    private void forgetOneIdle() {
        for (var e : logs.entrySet()) {
            Log log = e.getValue();
            if (log.attached == 0 && log.tryLock()) {
                try {
                    if (!log.dead && log.attached == 0) {
                        retire(e.getKey(), log);
                        return;
                    }
                } finally {
                    log.unlock();
                }
            }
        }
    }

    /** Unlocks, first forgetting the room if nothing needs it: no member here and no history. */
    private void unlock(String room, Log log) {
        try {
            if (idle(log)) {
                retire(room, log);
            }
        } finally {
            log.unlock();
        }
    }

    private void retire(String room, Log log) {
        log.dead = true;
        if (logs.remove(room, log)) {
            roomCount.decrementAndGet();
        }
    }

    /** Builds an {@link InMemoryRoomEngine}. Not thread-safe. */
    public static final class Builder {
        private int historyCount;
        private long historyBytes = 1L << 20;
        private Duration historyMaxAge = Duration.ZERO;
        private LongSupplier clock = System::nanoTime;
        private int maxRooms = 100_000;

        private Builder() {
        }

        /** The most messages each room keeps for resume. Default 0: no history, resume reports a gap. */
        public Builder historyCount(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("historyCount must not be negative: " + count);
            }
            this.historyCount = count;
            return this;
        }

        /**
         * The most bytes (encoded frames) each room keeps; the oldest messages go first. Default 1 MiB. Keep it
         * well under the connections' {@code maxBufferedBytes}, since a resume writes the replay at once.
         */
        public Builder historyBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("historyBytes must not be negative: " + bytes);
            }
            this.historyBytes = bytes;
            return this;
        }

        /**
         * The oldest a kept message may be: older ones are no longer replayed (a resume reports them as a gap)
         * and their memory is freed when the room is next used (published to, joined, asked for its latest
         * number) or forced out by {@link #maxRooms}. Zero for no age bound. Default zero: history is bounded
         * by {@link #historyCount} and {@link #historyBytes} only.
         */
        public Builder historyMaxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("historyMaxAge must not be negative: " + maxAge);
            }
            this.historyMaxAge = maxAge;
            return this;
        }

        /** The clock of {@link #historyMaxAge}, in nanoseconds; tests replace {@code System.nanoTime}. */
        Builder clock(LongSupplier nanos) {
            this.clock = Objects.requireNonNull(nanos, "nanos");
            return this;
        }

        /**
         * The most rooms held at once, with members or with history. Creating one more forgets a room without
         * members (its history and sequence) if there is one, else fails the join or publish with an
         * {@link IllegalStateException}. Default 100,000.
         */
        public Builder maxRooms(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRooms must be positive: " + max);
            }
            this.maxRooms = max;
            return this;
        }

        /** The engine. */
        public InMemoryRoomEngine build() {
            return new InMemoryRoomEngine(this);
        }
    }
}
