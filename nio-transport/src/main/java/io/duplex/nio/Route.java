package io.duplex.nio;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * How a client connection reaches its server: the address it opens TCP to (the server's, or the proxy's),
 * the CONNECT tunnel to open first when there is a proxy, the TLS layer to start once the byte stream reaches
 * the server (wss://), and the timeouts of those phases.
 *
 * @param address where TCP goes
 * @param tunnel the CONNECT exchange with a proxy, or {@code null} for a direct connection
 * @param tls makes the TLS layer over the connection's socket, on the loop thread; {@code null} for ws://
 * @param connectTimeoutMillis the TCP connect timeout
 * @param handshakeTimeoutMillis the timeout of everything after TCP: CONNECT, TLS and the opening handshake
 */
record Route(InetSocketAddress address, ProxyTunnel tunnel, Supplier<TlsWire> tls, long connectTimeoutMillis,
        long handshakeTimeoutMillis) {
}
