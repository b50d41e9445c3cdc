package io.duplex.nio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A server answered an upgrade request with an HTTP error instead of 101; committed on the loop thread. */
@Name("io.duplex.HandshakeRejected")
@Label("WebSocket Handshake Rejected")
@Category({"Duplex", "WebSocket"})
@Description("A server refused an opening handshake with an HTTP error status")
@StackTrace(false)
public final class HandshakeRejectedEvent extends jdk.jfr.Event {

    /** The peer's address, {@code host:port}. */
    @Label("Remote Address")
    public String remoteAddress;

    /** The HTTP status sent (400, 403, 404, 426, 503, ...). */
    @Label("Status")
    public int status;

    /** Why, as the server's log would say it. */
    @Label("Reason")
    public String reason;
}
