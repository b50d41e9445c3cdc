/**
 * Duplex NIO transport: selector event loops that run the Duplex core over TCP. Only {@code io.duplex.nio}
 * is API; {@code io.duplex.nio.loop} is implementation and is not exported.
 */
module io.duplex.nio {
    requires transitive io.duplex.core;
    requires org.slf4j;

    exports io.duplex.nio;
}
