package io.duplex.nio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Something run on an event loop held it longer than the loop's slow-handler threshold: every other
 * connection of that loop waited meanwhile. Committed on the loop thread right after it returned, so the
 * event's start time is the end of the stall; its length is {@link #blockedNanos}.
 */
@Name("io.duplex.SlowHandler")
@Label("Duplex Event Loop Blocked")
@Category({"Duplex", "Event Loop"})
@Description("A callback held its event loop longer than the slow-handler threshold")
@StackTrace(false)
public final class SlowHandlerEvent extends jdk.jfr.Event {

    /** The loop thread's name. */
    @Label("Loop")
    public String loop;

    /** {@code "io"} (a readiness event: reads and the handler callbacks they caused), {@code "task"} or {@code "timer"}. */
    @Label("Kind")
    public String kind;

    /** What ran: the connection (with its peer's address) or the task's class. */
    @Label("Handler")
    public String handler;

    /** How long it held the loop. */
    @Label("Blocked")
    @Timespan(Timespan.NANOSECONDS)
    public long blockedNanos;

    /** The threshold it passed. */
    @Label("Threshold")
    @Timespan(Timespan.NANOSECONDS)
    public long thresholdNanos;
}
