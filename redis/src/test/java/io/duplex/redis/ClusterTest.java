package io.duplex.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test class whose every test gets its own {@link Cluster}: a fresh redis-server, closed after the test. */
abstract class ClusterTest {

    Cluster cluster;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = new Cluster();
    }

    @AfterEach
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }
}
