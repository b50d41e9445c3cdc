package io.duplex.nio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A connection's outbound buffer passed its hard limit and the connection is failed by policy. */
@Name("io.duplex.OutboundOverflow")
@Label("WebSocket Transport Overflow")
@Category({"Duplex", "WebSocket"})
@Description("A connection's outbound buffer passed its hard limit (maxBufferedBytes): it is closed with the policy's code")
@StackTrace(false)
public final class OutboundOverflowEvent extends jdk.jfr.Event {

    /** The peer's address, {@code host:port}. */
    @Label("Remote Address")
    public String remoteAddress;

    /** Bytes buffered when the send was refused. */
    @Label("Buffered")
    @DataAmount
    public long buffered;

    /** The configured limit, {@code maxBufferedBytes}. */
    @Label("Limit")
    @DataAmount
    public long limit;

    /** The close code the overflow policy fails the connection with. */
    @Label("Close Code")
    public int code;
}
