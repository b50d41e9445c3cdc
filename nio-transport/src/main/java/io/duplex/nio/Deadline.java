package io.duplex.nio;

import io.duplex.nio.loop.EventLoop;
import io.duplex.nio.loop.TimerWheel;

/**
 * A connection's one deadline on its loop's timer wheel: the connect or opening-handshake timeout before the
 * session opens, the close timeout once the close began. What expiry means is the connection's to decide.
 * Made when first armed and dropped once the session opens, so an open, idle connection holds no timer.
 * Loop thread only.
 */
final class Deadline {

    private final EventLoop loop;
    private final TimerWheel.Timer timer;

    /** @param expired runs on the loop when the deadline passes while armed */
    Deadline(EventLoop loop, Runnable expired) {
        this.loop = loop;
        this.timer = loop.newTimer(expired);
    }

    /** Arms (or re-arms) the deadline {@code millis} from now. */
    void arm(long millis) {
        loop.schedule(timer, millis);
    }

    boolean isArmed() {
        return timer.isArmed();
    }

    void cancel() {
        timer.cancel();
    }
}
