package io.duplex.nio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A connection failed with 1001 because its peer went silent: no answer to a keepalive Ping, or idle too long. */
@Name("io.duplex.KeepaliveTimeout")
@Label("WebSocket Keepalive Timeout")
@Category({"Duplex", "WebSocket"})
@Description("A connection failed with 1001: no answer to a keepalive ping (kind \"pong\") or no traffic within the idle timeout (kind \"idle\")")
@StackTrace(false)
public final class KeepaliveTimeoutEvent extends jdk.jfr.Event {

    /** The peer's address, {@code host:port}. */
    @Label("Remote Address")
    public String remoteAddress;

    /** {@code "pong"} (keepalive Ping unanswered) or {@code "idle"} (idle timeout). */
    @Label("Kind")
    public String kind;

    /** The timeout that expired: the pong timeout or the idle timeout. */
    @Label("Timeout")
    @Timespan(Timespan.MILLISECONDS)
    public long timeoutMillis;
}
