/**
 * Duplex core: a sans-I/O RFC 6455 WebSocket endpoint. Only {@code io.duplex.core} is API; the other
 * packages are implementation and are not exported.
 */
module io.duplex.core {
    exports io.duplex.core;
    exports io.duplex.core.handshake to io.duplex.nio;
}
