package io.duplex.nio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A WebSocket connection finished its opening handshake; committed on its event loop thread. */
@Name("io.duplex.ConnectionOpened")
@Label("WebSocket Connection Opened")
@Category({"Duplex", "WebSocket"})
@Description("A WebSocket connection finished its opening handshake")
@StackTrace(false)
public final class ConnectionOpenedEvent extends jdk.jfr.Event {

    /** The peer's address, {@code host:port}. */
    @Label("Remote Address")
    public String remoteAddress;

    /** {@code "server"} or {@code "client"}: which side of the connection this process is. */
    @Label("Role")
    public String role;
}
