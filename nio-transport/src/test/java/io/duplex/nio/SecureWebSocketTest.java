package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.internal.tls.SelfSignedCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** wss:// end to end: our client and server through the TLS layer, and the JDK client against our server. */
class SecureWebSocketTest extends LoopbackFixture {

    private static URI wss(WebSocketServer server) {
        return URI.create("wss://localhost:" + server.port() + "/");
    }

    @Test
    void ourClientAndServerOverTls() throws Exception {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        WebSocketServer server = server(b -> b.handler(RoundTripTest.ECHO).tls(certs.serverContext()));
        Recorder clientSide = new Recorder();
        WebSocket client = client(b -> b.tls(certs.clientContext())).connect(wss(server), clientSide)
                .get(10, TimeUnit.SECONDS);
        client.sendText("secret ✓").get(5, TimeUnit.SECONDS);
        assertEquals("secret ✓", clientSide.nextMessage());
        byte[] big = new byte[5 << 20];
        new Random(7).nextBytes(big);
        client.sendBinary(ByteBuffer.wrap(big)).get(20, TimeUnit.SECONDS);
        assertArrayEquals(big, (byte[]) clientSide.nextMessage());
        client.close(CloseStatus.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        assertTrue(clientSide.awaitClose().clean());
    }

    /**
     * Masked messages of sizes on either side of a TLS record's 16 KiB of plaintext and of the server's 64 KiB
     * read, up to 1 MiB, echoed over each protocol version: a client context for TLS 1.2 offers nothing newer,
     * so that run cannot fall back to 1.3. The server unmasks each message from decrypted records into its
     * assembly buffer and sends it back through the records' write path.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void messagesAroundRecordAndReadSizesEchoWholeOverBothVersions(String protocol) throws Exception {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        WebSocketServer server = server(b -> b.handler(RoundTripTest.ECHO).tls(certs.serverContext()));
        Recorder clientSide = new Recorder();
        WebSocket client = client(b -> b.tls(certs.clientContext(protocol))).connect(wss(server), clientSide)
                .get(10, TimeUnit.SECONDS);
        int[] sizes = {16383, 16384, 16385, 3 * 16384 + 1, (64 << 10) - 1, (64 << 10) + 1, 1 << 20, (1 << 20) + 7};
        Random random = new Random(1_2);
        for (int size : sizes) {
            byte[] sent = new byte[size];
            random.nextBytes(sent);
            client.sendBinary(ByteBuffer.wrap(sent)).get(20, TimeUnit.SECONDS);
            assertArrayEquals(sent, (byte[]) clientSide.nextMessage(), size + " bytes over " + protocol);
        }
        client.close(CloseStatus.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        assertTrue(clientSide.awaitClose().clean());
    }

    @Test
    void largeMessagesToAPeerThatStopsReadingArriveWholeAndInOrderOnceItReadsAgain() throws Exception {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        CountDownLatch echoedAll = new CountDownLatch(24);
        AtomicBoolean socketRefused = new AtomicBoolean();
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                socket.sendBinary(data);
                echoedAll.countDown();
            }

            @Override
            public void onWritabilityChanged(WebSocket socket, boolean writable) {
                socketRefused.compareAndSet(false, !writable);
            }
        };
        WebSocketServer server = server(b -> b.handler(echo).maxBufferedBytes(64L << 20).tls(certs.serverContext()));
        Recorder clientSide = new Recorder();
        WebSocket client = client(b -> b.tls(certs.clientContext())).connect(wss(server), clientSide)
                .get(10, TimeUnit.SECONDS);
        client.pauseReading();
        byte[][] sent = new byte[24][];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = new byte[1 << 20];
            new Random(i).nextBytes(sent[i]);
            client.sendBinary(ByteBuffer.wrap(sent[i])).get(20, TimeUnit.SECONDS);
        }
        assertTrue(echoedAll.await(20, TimeUnit.SECONDS), "the server did not get every message");
        assertTrue(socketRefused.get(), "24 MiB fit the socket buffers: the refused-write path was not taken");

        client.resumeReading();

        for (byte[] expected : sent) {
            assertArrayEquals(expected, (byte[]) clientSide.nextMessage());
        }
        client.close(CloseStatus.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        assertTrue(clientSide.awaitClose().clean());
    }

    @Test
    void hostnameVerificationIsOnByDefault() throws Exception {
        SelfSignedCertificates wrong = SelfSignedCertificates.wrongHost();
        WebSocketServer server = server(b -> b.handler(new Recorder()).tls(wrong.serverContext()));
        ExecutionException e = assertThrows(ExecutionException.class, () -> client(b -> b.tls(wrong.clientContext()))
                .connect(wss(server), new Recorder()).get(10, TimeUnit.SECONDS));
        assertInstanceOf(SSLException.class, e.getCause());
    }

    @Test
    void jdkClientOverTls() throws Exception {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(b -> b.handler(serverSide).tls(certs.serverContext()));
        JdkClientInteropTest.JdkListener listener = new JdkClientInteropTest.JdkListener();
        java.net.http.WebSocket jdk = HttpClient.newBuilder().sslContext(certs.clientContext()).build()
                .newWebSocketBuilder().buildAsync(wss(server), listener).get(10, TimeUnit.SECONDS);
        jdk.sendText("hello over tls", true).get(5, TimeUnit.SECONDS);
        assertEquals("hello over tls", serverSide.nextMessage());
        serverSide.opened.get(5, TimeUnit.SECONDS).sendText("back").get(5, TimeUnit.SECONDS);
        assertEquals("back", listener.next());
        jdk.sendClose(CloseStatus.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        assertTrue(serverSide.awaitClose().clean());
    }
}
