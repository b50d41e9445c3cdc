/** Duplex metrics for Micrometer: {@link io.duplex.micrometer.DuplexMetrics} binds a server or client to a registry. */
module io.duplex.micrometer {
    requires transitive io.duplex.nio;
    requires transitive micrometer.core;

    exports io.duplex.micrometer;
}
