package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.HandshakeException;
import io.duplex.core.WebSocket;
import io.duplex.nio.internal.tls.SelfSignedCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** ws:// and wss:// through an HTTP CONNECT proxy (RFC 9110 §9.3.6) on real loopback sockets. */
class ProxyConnectTest extends LoopbackFixture {

    private static ProxySettings at(ConnectProxy proxy) {
        return ProxySettings.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()));
    }

    private static void echoOnce(WebSocket ws, Recorder side) throws Exception {
        ws.sendText("through the tunnel ✓").get(5, TimeUnit.SECONDS);
        assertEquals("through the tunnel ✓", side.nextMessage());
        ws.close(CloseStatus.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        assertTrue(side.awaitClose().clean());
    }

    @Test
    void wsThroughTheProxy() throws Exception {
        WebSocketServer server = server(RoundTripTest.ECHO);
        try (ConnectProxy proxy = new ConnectProxy(ConnectProxy.Mode.TUNNEL, null)) {
            Recorder side = new Recorder();
            WebSocket ws = client(b -> b.proxy(at(proxy))).connect(uri(server), side).get(10, TimeUnit.SECONDS);
            String authority = "127.0.0.1:" + server.port();
            assertEquals("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n", proxy.requests.get(0));
            echoOnce(ws, side);
        }
    }

    @Test
    void wssThroughTheProxyVerifiesTheTargetNotTheProxy() throws Exception {
        // The certificate names only wrong.example, which nothing but the test proxy resolves (to loopback), and
        // not the proxy's 127.0.0.1: the handshake passes only if SNI and the name check use the URI's host and
        // the client left resolving it to the proxy.
        SelfSignedCertificates certs = SelfSignedCertificates.wrongHost();
        WebSocketServer server = server(b -> b.handler(RoundTripTest.ECHO).tls(certs.serverContext()));
        try (ConnectProxy proxy = new ConnectProxy(ConnectProxy.Mode.TUNNEL, null)) {
            Recorder side = new Recorder();
            WebSocket ws = client(b -> b.proxy(at(proxy)).tls(certs.clientContext()))
                    .connect(URI.create("wss://wrong.example:" + server.port() + "/"), side).get(10, TimeUnit.SECONDS);
            assertTrue(proxy.requests.get(0).startsWith("CONNECT wrong.example:" + server.port() + " HTTP/1.1\r\n"));
            echoOnce(ws, side);
        }
    }

    @Test
    void wssThroughTheProxyStillRejectsACertificateForAnotherHost() throws Exception {
        SelfSignedCertificates wrong = SelfSignedCertificates.wrongHost();
        WebSocketServer server = server(b -> b.handler(new Recorder()).tls(wrong.serverContext()));
        try (ConnectProxy proxy = new ConnectProxy(ConnectProxy.Mode.TUNNEL, null)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client(b -> b.proxy(at(proxy))
                    .tls(wrong.clientContext())).connect(URI.create("wss://localhost:" + server.port() + "/"),
                    new Recorder()).get(10, TimeUnit.SECONDS));
            assertInstanceOf(SSLException.class, e.getCause());
        }
    }

    @Test
    void basicCredentialsAreSentAndAccepted() throws Exception {
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cr3t".getBytes(StandardCharsets.UTF_8));
        WebSocketServer server = server(RoundTripTest.ECHO);
        try (ConnectProxy proxy = new ConnectProxy(ConnectProxy.Mode.TUNNEL, expected)) {
            Recorder side = new Recorder();
            WebSocket ws = client(b -> b.proxy(at(proxy).withBasicAuth("alice", "s3cr3t")))
                    .connect(uri(server), side).get(10, TimeUnit.SECONDS);
            echoOnce(ws, side);
        }
    }

    @Test
    void wrongCredentialsFailWith407() throws Exception {
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cr3t".getBytes(StandardCharsets.UTF_8));
        WebSocketServer server = server(new Recorder());
        try (ConnectProxy proxy = new ConnectProxy(ConnectProxy.Mode.TUNNEL, expected)) {
            for (ProxySettings settings : new ProxySettings[] {at(proxy).withBasicAuth("alice", "wrong"), at(proxy)}) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> client(b -> b.proxy(settings))
                        .connect(uri(server), new Recorder()).get(10, TimeUnit.SECONDS));
                ProxyConnectException refused = assertInstanceOf(ProxyConnectException.class, e.getCause());
                assertEquals(407, refused.status());
                assertTrue(refused.getMessage().contains("Basic realm=\"test\""), refused.getMessage());
            }
        }
        assertEquals(0, server.connectionCount(), "the server was never reached");
    }

    @Test
    void aStalledProxyFailsWithinTheHandshakeTimeout() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy(ConnectProxy.Mode.STALL, null)) {
            ConnectOptions options = ConnectOptions.builder().handshakeTimeout(Duration.ofMillis(300)).build();
            long start = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class, () -> client(b -> b.proxy(at(proxy)))
                    .connect(URI.create("ws://127.0.0.1:9/"), new Recorder(), options).get(10, TimeUnit.SECONDS));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(millis >= 250 && millis < 5000, "failed after " + millis + " ms");
            assertTrue(e.getCause().getMessage().contains("did not open a tunnel"), e.getCause().getMessage());
        }
    }

    @Test
    void aProxyThatHangsUpFailsAtOnce() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy(ConnectProxy.Mode.HANG_UP, null)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client(b -> b.proxy(at(proxy)))
                    .connect(URI.create("ws://127.0.0.1:9/"), new Recorder()).get(5, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("before opening a tunnel"), e.getCause().getMessage());
        }
    }

    @Test
    void connectOptionsOverrideTheClientsProxy() throws Exception {
        WebSocketServer server = server(RoundTripTest.ECHO);
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        WebSocketClient viaDeadProxy = client(b -> b.proxy(
                ProxySettings.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), deadPort))));
        Recorder direct = new Recorder();
        echoOnce(viaDeadProxy.connect(uri(server), direct, ConnectOptions.builder().noProxy().build())
                .get(10, TimeUnit.SECONDS), direct);
        try (ConnectProxy proxy = new ConnectProxy(ConnectProxy.Mode.TUNNEL, null)) {
            Recorder proxied = new Recorder();
            echoOnce(client().connect(uri(server), proxied, ConnectOptions.builder().proxy(at(proxy)).build())
                    .get(10, TimeUnit.SECONDS), proxied);
            assertEquals(1, proxy.requests.size());
        }
    }

    @Test
    void bytesAfterTheProxysAnswerGoToTheWebSocketHandshake() throws Exception {
        // One write carries the proxy's 200 and the (refusing) server's answer behind it.
        byte[] script = ("HTTP/1.1 200 Connection established\r\n\r\n"
                + "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (ConnectProxy proxy = new ConnectProxy(script)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client(b -> b.proxy(at(proxy)))
                    .connect(URI.create("ws://127.0.0.1:9/"), new Recorder()).get(10, TimeUnit.SECONDS));
            assertEquals(403, assertInstanceOf(HandshakeException.class, e.getCause()).status());
        }
    }

    @Test
    void bytesAfterTheProxysAnswerGoToTls() throws Exception {
        // The 200 is followed by a TLS fatal alert record (handshake_failure, RFC 8446 §6): only a client that
        // hands those bytes to its TLS engine reports the alert rather than a bare end of stream.
        byte[] answer = "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
        byte[] script = java.util.Arrays.copyOf(answer, answer.length + alert.length);
        System.arraycopy(alert, 0, script, answer.length, alert.length);
        SelfSignedCertificates certs = SelfSignedCertificates.wrongHost();
        try (ConnectProxy proxy = new ConnectProxy(script)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client(b -> b.proxy(at(proxy))
                    .tls(certs.clientContext())).connect(URI.create("wss://wrong.example:9/"), new Recorder())
                    .get(10, TimeUnit.SECONDS));
            SSLException tls = assertInstanceOf(SSLException.class, e.getCause());
            assertTrue(tls.getMessage().contains("handshake_failure"), tls.getMessage());
        }
    }
}
