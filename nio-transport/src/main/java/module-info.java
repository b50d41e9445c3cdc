/**
 * Duplex NIO transport: selector event loops that run the Duplex core over TCP. Only {@code io.duplex.nio}
 * is API; {@code io.duplex.nio.internal.loop} is implementation and is not exported.
 */
module io.duplex.nio {
    requires transitive io.duplex.core;
    requires org.slf4j;
    // JFR events are recorded on the hot paths' edges; every JDK 17+ build has the module (see docs/observability.md).
    requires jdk.jfr;

    exports io.duplex.nio;
}
