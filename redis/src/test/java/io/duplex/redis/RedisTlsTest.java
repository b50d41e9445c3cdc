package io.duplex.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RedisServer;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rediss://}: a real redis-server speaking only TLS, with a certificate made for this test. */
class RedisTlsTest {

    @Test
    void roomsSpanNodesOverTlsWhenTheServersCertificateIsTrusted(@TempDir Path dir) throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        try (Cluster cluster = new Cluster(RedisServer.startTls(cert.certificate(), cert.privateKey()))) {
            String url = cluster.redis.url();
            assertTrue(url.startsWith("rediss://"), url);
            SslOptions trusted = SslOptions.builder().jdkSslProvider().trustManager(cert.certificate().toFile())
                    .build();
            Node a = cluster.node(e -> e.sslOptions(trusted));
            Node b = cluster.node(e -> e.sslOptions(trusted));
            Member bob = cluster.member(b);
            bob.join("secret", -1);
            assertEquals(1L, a.say("secret", "over tls").get(10, TimeUnit.SECONDS));
            bob.expect(1, "over tls");

            // Lettuce verifies the server by default: a certificate the JVM's trust store does not cover fails.
            RedisConnectionException e = assertThrows(RedisConnectionException.class,
                    () -> RedisRoomEngine.create(RedisURI.create(url)));
            assertTrue(causedBy(e, SSLHandshakeException.class), "a TLS handshake failure: " + e);
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
