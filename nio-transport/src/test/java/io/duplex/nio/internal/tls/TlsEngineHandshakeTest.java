package io.duplex.nio.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The handshake over memory: versions, split delivery, SNI, hostname verification, a stalled peer. */
class TlsEngineHandshakeTest {

    private static final byte[] HELLO = "GET /chat HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void completesAndCarriesDataBothWays(String protocol) throws SSLException {
        InMemoryLink link = InMemoryLink.localhost(clientContext(protocol)).handshake();

        assertTrue(link.client.handshakeDone());
        assertTrue(link.server.handshakeDone());
        assertEquals(protocol, link.client.session().getProtocol());
        assertEquals(protocol, link.server.session().getProtocol());
        link.sendAndCheck(link.client, HELLO);
        link.sendAndCheck(link.server, "HTTP/1.1 101 Switching Protocols\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void completesWhenNetworkBytesArriveOneAtATime(String protocol) throws SSLException {
        InMemoryLink link = InMemoryLink.localhost(clientContext(protocol));
        link.chunk = 1; // every record boundary and every header byte becomes a split point

        link.handshake();

        link.sendAndCheck(link.client, HELLO);
        link.sendAndCheck(link.server, new byte[40_000]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aResumedSessionCompletesToo(String protocol) throws SSLException {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        SSLContext clientContext = clientContext(protocol);
        SSLContext serverContext = certs.serverContext();
        InMemoryLink first = new InMemoryLink(TlsEngine.client(clientContext, "localhost", 443),
                TlsEngine.server(serverContext)).handshake();
        first.sendAndCheck(first.server, HELLO); // TLS 1.3 tickets travel after the handshake

        InMemoryLink second = new InMemoryLink(TlsEngine.client(clientContext, "localhost", 443),
                TlsEngine.server(serverContext)).handshake();

        if (protocol.equals("TLSv1.2")) { // an abbreviated handshake: the server finishes first
            assertTrue(java.util.Arrays.equals(first.client.session().getId(), second.client.session().getId()));
        }
        second.sendAndCheck(second.client, HELLO);
        second.sendAndCheck(second.server, HELLO);
    }

    @Test
    void clientSendsTheHostNameAsSni() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();

        ExtendedSSLSession session = (ExtendedSSLSession) link.server.session();
        assertEquals(List.of(new SNIHostName("localhost")), session.getRequestedServerNames());
    }

    @Test
    void ipLiteralIsVerifiedAgainstTheIpAddressButNotSentAsSni() throws SSLException {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        InMemoryLink link = new InMemoryLink(TlsEngine.client(certs.clientContext(), "127.0.0.1", 443, true),
                TlsEngine.server(certs.serverContext())).handshake();

        assertEquals(List.of(), ((ExtendedSSLSession) link.server.session()).getRequestedServerNames());
    }

    @Test
    void hostnameVerificationRejectsACertificateForAnotherHost() throws SSLException {
        SelfSignedCertificates wrong = SelfSignedCertificates.wrongHost();
        InMemoryLink link = new InMemoryLink(TlsEngine.client(wrong.clientContext(), "localhost", 443, true),
                TlsEngine.server(wrong.serverContext()));

        SSLException e = assertThrows(SSLException.class, link::handshake);

        assertFalse(link.client.handshakeDone());
        assertTrue(String.valueOf(e.getMessage()).contains("localhost") || e.getCause() != null, e.toString());
        // The client's alert tells the server why; the server fails too instead of waiting.
        assertThrows(SSLException.class, link::pump);
    }

    @Test
    void theSameCertificateIsAcceptedWithoutHostnameVerification() throws SSLException {
        SelfSignedCertificates wrong = SelfSignedCertificates.wrongHost();
        InMemoryLink link = new InMemoryLink(TlsEngine.client(wrong.clientContext(), "localhost", 443, false),
                TlsEngine.server(wrong.serverContext())).handshake();

        assertTrue(link.client.handshakeDone()); // so the rejection above is the hostname's doing
    }

    @Test
    void anUntrustedCertificateIsRejected() {
        InMemoryLink link = new InMemoryLink(
                TlsEngine.client(SelfSignedCertificates.wrongHost().clientContext(), "localhost", 443, false),
                TlsEngine.server(SelfSignedCertificates.localhost().serverContext()));

        assertThrows(SSLException.class, link::handshake);
    }

    @Test
    void peerThatStopsMidHandshakeLeavesUsWaitingWithoutSpinning() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost();
        link.client.begin();
        link.server.begin();
        ByteBuffer clientHello = link.client.networkOutput();
        assertTrue(clientHello.hasRemaining());
        // Half the ClientHello, then the client goes silent.
        ByteBuffer half = clientHello.slice(clientHello.position(), clientHello.remaining() / 2);

        assertEquals(TlsEngine.Status.NEED_MORE_INPUT, link.server.unwrap(half, link.appOut));
        long calls = link.server.engineCalls();
        ByteBuffer nothing = ByteBuffer.allocate(0);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(TlsEngine.Status.NEED_MORE_INPUT, link.server.unwrap(nothing, link.appOut));
        }

        assertEquals(calls, link.server.engineCalls(), "unwrap with no new input must not call the engine");
        assertFalse(link.server.networkOutput().hasRemaining());
        assertTrue(link.server.retainedBytes() <= link.server.session().getPacketBufferSize());
        assertFalse(link.server.handshakeDone());
    }

    @Test
    void clientWaitsForAServerFlightThatNeverComes() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost();
        link.client.begin();
        ByteBuffer clientHello = link.client.networkOutput();
        clientHello.position(clientHello.limit()); // written; the server never answers
        link.client.consumed();
        assertEquals(0, link.client.retainedBytes());
        long calls = link.client.engineCalls();

        for (int i = 0; i < 1000; i++) {
            assertEquals(TlsEngine.Status.NEED_MORE_INPUT, link.client.unwrap(ByteBuffer.allocate(0), link.appOut));
        }
        assertEquals(calls, link.client.engineCalls());
    }

    @Test
    void wrapBeforeTheHandshakeIsAProgrammingError() throws SSLException {
        TlsEngine client = InMemoryLink.localhost().client;
        client.begin();

        assertThrows(IllegalStateException.class, () -> client.wrap(ByteBuffer.wrap(HELLO)));
    }

    static SSLContext clientContext(String protocol) {
        return SelfSignedCertificates.localhost().clientContext(protocol.equals("TLSv1.3") ? "TLS" : protocol);
    }
}
