package io.duplex.examples.wscat;

import io.duplex.core.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends wscat's Pings: once, or every interval. Each carries the time it was sent, so its Pong tells the
 * round trip.
 */
final class Pinger {

    private final ScheduledExecutorService timer;

    private Pinger(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Pings {@code ws} now, and every {@code interval} unless it is zero. */
    static Pinger start(WebSocket ws, Duration interval) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wscat-ping");
            t.setDaemon(true);
            return t;
        });
        Runnable ping = () -> ws.sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, System.nanoTime()));
        if (interval.isZero()) {
            timer.execute(ping);
        } else {
            timer.scheduleAtFixedRate(ping, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        }
        return new Pinger(timer);
    }

    void stop() {
        timer.shutdownNow();
    }

    /** "pong after 0.42 ms" for one of our Pings, else "pong" and the payload in hex. */
    static String describe(ByteBuffer payload) {
        if (payload.remaining() == Long.BYTES) {
            long micros = (System.nanoTime() - payload.getLong(payload.position())) / 1000;
            if (micros >= 0 && micros < TimeUnit.HOURS.toMicros(1)) {
                return String.format(Locale.ROOT, "pong after %.2f ms", micros / 1000.0);
            }
        }
        return "pong " + Output.hex(payload);
    }
}
