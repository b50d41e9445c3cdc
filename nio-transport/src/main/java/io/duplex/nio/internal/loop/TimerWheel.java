package io.duplex.nio.internal.loop;

/**
 * A hashed timer wheel: the one clock of an event loop. Timeouts land in the slot of the tick they expire
 * at; each tick visits one slot, so arming, cancelling and expiring a timer cost O(1) whatever the number of
 * connections, and no thread or scheduled task exists per connection.
 *
 * <p>Time is passed in explicitly (milliseconds from any fixed origin), which keeps the wheel deterministic
 * under test. Precision is one tick: a timer fires at the first tick boundary at or after its deadline.
 * Not thread-safe: use it from the loop thread only.
 */
public final class TimerWheel {

    /**
     * A reusable timer: armed with {@link TimerWheel#schedule}, disarmed by {@link #cancel()} or by firing.
     * A connection allocates its timers once and re-arms them, so steady-state timing allocates nothing.
     */
    public static final class Timer {
        private final TimerWheel wheel;
        private final Runnable task;
        private Timer prev;
        private Timer next;
        private long rounds;
        private int slot = -1;

        private Timer(TimerWheel wheel, Runnable task) {
            this.wheel = wheel;
            this.task = task;
        }

        /** Whether the timer is armed and has not fired. */
        public boolean isArmed() {
            return slot >= 0;
        }

        /** Disarms the timer; does nothing if it is not armed. */
        public void cancel() {
            wheel.unlink(this);
        }
    }

    private final Timer[] heads;
    private final int mask;
    private final long tickMillis;
    private final long originMillis;
    /** Ticks visited so far: tick {@code i} covers times from {@code origin + i * tickMillis}. */
    private long visited;
    private int armed;

    /**
     * @param slots the number of slots, rounded up to a power of two
     * @param tickMillis the tick length (the timers' precision)
     * @param nowMillis the current time; the first tick ends one tick later
     */
    public TimerWheel(int slots, long tickMillis, long nowMillis) {
        if (tickMillis <= 0 || slots <= 0) {
            throw new IllegalArgumentException("slots and tickMillis must be positive");
        }
        int size = Integer.highestOneBit(Math.max(1, slots - 1)) << 1;
        this.heads = new Timer[size];
        this.mask = size - 1;
        this.tickMillis = tickMillis;
        this.originMillis = nowMillis;
    }

    /** A new, disarmed timer that runs {@code task} when it fires. */
    public Timer newTimer(Runnable task) {
        return new Timer(this, task);
    }

    /** Arms {@code timer} to fire {@code delayMillis} after {@code nowMillis}, re-arming it if armed. */
    public void schedule(Timer timer, long delayMillis, long nowMillis) {
        if (timer.wheel != this) {
            throw new IllegalArgumentException("timer belongs to another wheel");
        }
        unlink(timer);
        long deadline = nowMillis + Math.max(0, delayMillis) - originMillis;
        long tick = Math.max(visited, ceilDiv(deadline, tickMillis));
        timer.rounds = (tick - visited) / heads.length;
        link(timer, (int) (tick & mask));
    }

    /** Fires every timer whose tick has come by {@code nowMillis}. */
    public void advance(long nowMillis) {
        while (armed > 0 && originMillis + visited * tickMillis <= nowMillis) {
            int slot = (int) (visited++ & mask);
            Timer t = heads[slot];
            heads[slot] = null;
            // The slot's list is detached first, so timers re-armed by a task land in a fresh list.
            while (t != null) {
                Timer next = t.next;
                t.prev = null;
                t.next = null;
                t.slot = -1;
                armed--;
                if (t.rounds > 0) {
                    t.rounds--;
                    link(t, slot);
                } else {
                    t.task.run();
                }
                t = next;
            }
        }
        if (armed == 0) {
            // Nothing to fire: jump the wheel forward instead of visiting empty ticks later.
            visited = Math.max(visited, ceilDiv(nowMillis - originMillis, tickMillis));
        }
    }

    /**
     * Milliseconds until the next tick that may fire a timer, at least 1; 0 when no timer is armed (a
     * selector then may block without a timeout).
     */
    public long millisUntilNextTick(long nowMillis) {
        if (armed == 0) {
            return 0;
        }
        return Math.max(1, originMillis + visited * tickMillis - nowMillis);
    }

    /** The number of armed timers. */
    public int armedCount() {
        return armed;
    }

    private void link(Timer t, int slot) {
        Timer head = heads[slot];
        t.next = head;
        if (head != null) {
            head.prev = t;
        }
        heads[slot] = t;
        t.slot = slot;
        armed++;
    }

    private void unlink(Timer t) {
        if (t.slot < 0) {
            return;
        }
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            heads[t.slot] = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        t.slot = -1;
        armed--;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
