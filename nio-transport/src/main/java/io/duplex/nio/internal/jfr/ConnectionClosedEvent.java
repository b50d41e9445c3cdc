package io.duplex.nio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** An open WebSocket connection closed (the handler's {@code onClose}); committed on its event loop thread. */
@Name("io.duplex.ConnectionClosed")
@Label("WebSocket Connection Closed")
@Category({"Duplex", "WebSocket"})
@Description("An open WebSocket connection closed: its close code, whether the close handshake completed, how long it was open and how many bytes it moved")
@StackTrace(false)
public final class ConnectionClosedEvent extends jdk.jfr.Event {

    /** The peer's address, {@code host:port}. */
    @Label("Remote Address")
    public String remoteAddress;

    /** {@code "server"} or {@code "client"}. */
    @Label("Role")
    public String role;

    /** The close code the handler was given (1006 when TCP ended without a Close). */
    @Label("Close Code")
    public int code;

    /** The close reason the handler was given. */
    @Label("Reason")
    public String reason;

    /** Whether both Close frames were exchanged (RFC 6455 §7.1.4). */
    @Label("Clean")
    public boolean clean;

    /** From the end of the opening handshake to the close. */
    @Label("Duration Open")
    @Timespan(Timespan.NANOSECONDS)
    public long openNanos;

    /** WebSocket bytes received after the handshake (frames, after TLS decryption). */
    @Label("Bytes In")
    @DataAmount
    public long bytesIn;

    /** WebSocket bytes written after the handshake (frames, before TLS encryption). */
    @Label("Bytes Out")
    @DataAmount
    public long bytesOut;
}
