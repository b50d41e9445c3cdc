/**
 * Duplex core: a sans-I/O RFC 6455 WebSocket endpoint. The API is three packages: {@code io.duplex.core}, the
 * vocabulary a handler and a transport share (and the extension and buffer SPI); {@code io.duplex.core.engine},
 * the session and the opening handshakes that drive the implementation, for transports and embedders; and
 * {@code io.duplex.core.deflate}, permessage-deflate. The packages under {@code io.duplex.core.internal} are
 * implementation and are exported to nobody but the NIO transport, as noted below.
 */
module io.duplex.core {
    exports io.duplex.core;
    exports io.duplex.core.engine;
    exports io.duplex.core.deflate;
    // The transport encodes broadcast and prepared frames once with the core's own encoder and message encoding.
    exports io.duplex.core.internal.frame to io.duplex.nio;
    exports io.duplex.core.internal.session to io.duplex.nio;
    // The client's proxy tunnel reads the proxy's answer with the core's HTTP header parsing.
    exports io.duplex.core.internal.handshake to io.duplex.nio;
}
