package io.duplex.nio.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import javax.net.ssl.SSLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Records through Conscrypt's engine, which decrypts a record in parts when the application buffer is too small
 * and hands the rest out on the next unwrap, with or without network input (the JDK's engine takes nothing and
 * asks for a larger buffer instead). Every byte must come out without more network input arriving.
 */
class TlsEngineOtherProviderTest {

    @ParameterizedTest(name = "{0} client, {1} server, {2}-byte application buffer, {3} bytes per delivery")
    @CsvSource({
        "conscrypt, conscrypt, 1, 2147483647",
        "conscrypt, conscrypt, 100, 2147483647",
        "conscrypt, conscrypt, 16383, 2147483647",
        "conscrypt, conscrypt, 65536, 2147483647",
        "conscrypt, conscrypt, 5000, 7000",
        "conscrypt, jdk, 100, 2147483647",
        "jdk, conscrypt, 100, 2147483647"})
    void everyByteArrivesWhateverTheApplicationBufferSize(String clientSide, String serverSide, int appOut,
            int chunk) throws SSLException {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        InMemoryLink link = new InMemoryLink(
                TlsEngine.client(certs.clientContext("TLS", TlsProviders.named(clientSide)), "localhost", 443),
                TlsEngine.server(certs.serverContext("TLS", TlsProviders.named(serverSide)))).handshake();
        link.appOut = ByteBuffer.allocate(appOut);
        link.chunk = chunk;
        byte[] toServer = new byte[300_000];
        byte[] toClient = new byte[300_000];
        new Random(appOut).nextBytes(toServer);
        new Random(~appOut).nextBytes(toClient);

        link.sendAndCheck(link.client, toServer);
        link.sendAndCheck(link.server, toClient);
    }

    /** Conscrypt ends its server handshake with a wrap that writes nothing; its buffer must not stay behind. */
    @ParameterizedTest(name = "{0} server")
    @CsvSource({"conscrypt", "jdk"})
    void anIdleConnectionHoldsNoBufferAfterTheHandshake(String serverSide) throws SSLException {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        InMemoryLink link = new InMemoryLink(TlsEngine.client(certs.clientContext(), "localhost", 443),
                TlsEngine.server(certs.serverContext("TLS", TlsProviders.named(serverSide)))).handshake();
        assertEquals(0, link.server.retainedBytes(), "after the handshake");
        link.sendAndCheck(link.client, new byte[300]); // the upgrade request
        assertEquals(0, link.server.retainedBytes(), "after a request");
        assertEquals(0, link.client.retainedBytes(), "the client after the handshake");
    }
}
