package io.duplex.nio.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * Renegotiation (RFC 5246 section 7.4.1.1, RFC 5746) is refused in TLS 1.2; TLS 1.3's post-handshake
 * KeyUpdate (RFC 8446 section 4.6.3) is not a renegotiation and is honoured.
 */
class TlsEngineRenegotiationTest {

    @Test
    void serverHelloRequestFailsTheClient() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost(TlsEngineHandshakeTest.clientContext("TLSv1.2")).handshake();

        ByteBuffer helloRequest = startHandshakeOn(link.server.sslEngine());

        SSLException e = assertThrows(SSLException.class,
                () -> link.client.unwrap(helloRequest, ByteBuffer.allocate(link.client.applicationBufferSize())));
        assertTrue(e.getMessage().contains("renegotiation"), e.getMessage());
        assertThrows(SSLException.class, () -> link.client.wrap(ByteBuffer.wrap(new byte[1])));
    }

    @Test
    void clientHelloAfterTheHandshakeFailsTheServer() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost(TlsEngineHandshakeTest.clientContext("TLSv1.2")).handshake();

        ByteBuffer clientHello = startHandshakeOn(link.client.sslEngine());

        SSLException e = assertThrows(SSLException.class,
                () -> link.server.unwrap(clientHello, ByteBuffer.allocate(link.server.applicationBufferSize())));
        assertTrue(e.getMessage().contains("renegotiation"), e.getMessage());
        assertEquals(0, link.server.networkOutput().remaining(), "no ServerHello answers the refused hello");
    }

    @Test
    void tls13KeyUpdateIsAnsweredAndDataKeepsFlowing() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost().handshake();
        assertEquals("TLSv1.3", link.server.session().getProtocol());

        link.server.sslEngine().beginHandshake(); // in TLS 1.3 the JDK sends a KeyUpdate instead
        link.sendAndCheck(link.server, TlsEngineDataTest.random(50_000, 1));
        link.sendAndCheck(link.client, TlsEngineDataTest.random(50_000, 2));
        link.sendAndCheck(link.server, TlsEngineDataTest.random(50_000, 3));
    }

    /** Makes a peer's raw engine start a new handshake and returns its first flight. */
    private static ByteBuffer startHandshakeOn(SSLEngine peer) throws SSLException {
        peer.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(peer.getSession().getPacketBufferSize());
        SSLEngineResult r = peer.wrap(ByteBuffer.allocate(0), out);
        assertTrue(r.bytesProduced() > 0, "the peer produced a hello: " + r);
        return out.flip();
    }
}
