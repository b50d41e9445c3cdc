package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.nio.internal.tls.SelfSignedCertificates;
import io.duplex.nio.internal.tls.TlsProviders;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * wss:// over a TLS provider other than the JDK's: the transport drives whatever {@link javax.net.ssl.SSLEngine}
 * the user's {@link javax.net.ssl.SSLContext} makes. Conscrypt (BoringSSL through JNI) behaves differently from
 * the JDK's engine where it matters to a driver: it decrypts a record in parts when the buffer is too small and
 * keeps the rest, reports buffer sizes of its own, and ends a server handshake with a wrap that writes nothing.
 */
class OtherTlsProviderTest extends LoopbackFixture {

    private static URI wss(WebSocketServer server) {
        return URI.create("wss://localhost:" + server.port() + "/");
    }

    @ParameterizedTest(name = "server {0}, client {1}, {2}")
    @CsvSource({
        "conscrypt, jdk, TLSv1.3",
        "conscrypt, jdk, TLSv1.2",
        "jdk, conscrypt, TLSv1.3",
        "conscrypt, conscrypt, TLSv1.3",
        "conscrypt, conscrypt, TLSv1.2"})
    void messagesOfEverySizeEchoWholeAndTheCloseIsClean(String serverSide, String clientSide, String protocol)
            throws Exception {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        WebSocketServer server = server(b -> b.handler(RoundTripTest.ECHO)
                .tls(certs.serverContext("TLS", TlsProviders.named(serverSide))));
        Recorder received = new Recorder();
        WebSocket client = client(b -> b.tls(certs.clientContext(protocol, TlsProviders.named(clientSide))))
                .connect(wss(server), received).get(10, TimeUnit.SECONDS);
        client.sendText("über TLS ✓").get(5, TimeUnit.SECONDS);
        assertEquals("über TLS ✓", received.nextMessage());
        // Either side of a record's 16 KiB of plaintext and of the server's 64 KiB read, up to several MiB.
        int[] sizes = {0, 1, 125, 16383, 16384, 16385, 3 * 16384 + 1, (64 << 10) + 1, 1 << 20, (5 << 20) + 3};
        Random random = new Random(17);
        for (int size : sizes) {
            byte[] sent = new byte[size];
            random.nextBytes(sent);
            client.sendBinary(ByteBuffer.wrap(sent)).get(20, TimeUnit.SECONDS);
            assertArrayEquals(sent, (byte[]) received.nextMessage(), size + " bytes");
        }
        client.close(CloseStatus.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        Recorder.Closed closed = received.awaitClose();
        assertTrue(closed.clean(), "a clean close over " + serverSide + "/" + clientSide);
        assertEquals(CloseStatus.NORMAL_CLOSURE, closed.status().code());
    }

    @Test
    void aConscryptClientVerifiesTheHostname() throws Exception {
        SelfSignedCertificates wrong = SelfSignedCertificates.wrongHost();
        WebSocketServer server = server(b -> b.handler(new Recorder()).tls(wrong.serverContext()));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client(b -> b.tls(wrong.clientContext("TLS", TlsProviders.named("conscrypt"))))
                        .connect(wss(server), new Recorder()).get(10, TimeUnit.SECONDS));
        assertInstanceOf(SSLException.class, e.getCause(), String.valueOf(e.getCause()));
    }
}
