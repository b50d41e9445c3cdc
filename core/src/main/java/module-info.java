/**
 * Duplex core: a sans-I/O RFC 6455 WebSocket endpoint. Only {@code io.duplex.core} is API; the other
 * packages are implementation and are not exported.
 */
module io.duplex.core {
    exports io.duplex.core;
    // The transport encodes broadcast frames once with the core's own encoder; nobody else sees these.
    exports io.duplex.core.internal.frame to io.duplex.nio;
    exports io.duplex.core.internal.session to io.duplex.nio;
    // The client's proxy tunnel reads the proxy's answer with the core's HTTP header parsing.
    exports io.duplex.core.internal.handshake to io.duplex.nio;
}
