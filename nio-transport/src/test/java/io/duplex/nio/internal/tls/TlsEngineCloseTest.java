package io.duplex.nio.internal.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** close_notify (RFC 8446 section 6.1, RFC 5246 section 7.2.1) in both directions. */
class TlsEngineCloseTest {

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void clientClosesFirstAndServerAnswers(String protocol) throws SSLException {
        InMemoryLink link = InMemoryLink.localhost(TlsEngineHandshakeTest.clientContext(protocol)).handshake();
        byte[] last = TlsEngineDataTest.random(30_000, 1);
        link.client.wrap(ByteBuffer.wrap(last));

        link.client.closeOutbound();
        assertTrue(link.client.outboundClosed());
        link.pump();

        assertArrayEquals(last, link.serverReceived.toByteArray(), "data before close_notify is delivered");
        assertEquals(TlsEngine.Status.CLOSED, link.serverStatus);
        assertTrue(link.server.inboundClosed());
        // TLS 1.2 closes both ways at once, so the server's answer came back in the same pump; TLS 1.3 half-closes.
        assertEquals(protocol.equals("TLSv1.2"), link.client.inboundClosed());

        link.server.closeOutbound(); // TLS 1.2 already answered by itself; harmless then
        link.settle();

        assertEquals(TlsEngine.Status.CLOSED, link.clientStatus);
        assertTrue(link.client.inboundClosed());
        assertTrue(link.server.outboundClosed());
        assertThrows(SSLException.class, () -> link.client.wrap(ByteBuffer.wrap(new byte[1])));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void serverClosesFirst(String protocol) throws SSLException {
        InMemoryLink link = InMemoryLink.localhost(TlsEngineHandshakeTest.clientContext(protocol)).handshake();

        link.server.closeOutbound();
        link.pump();

        assertEquals(TlsEngine.Status.CLOSED, link.clientStatus);
        assertTrue(link.client.inboundClosed());
        link.client.closeOutbound();
        link.settle();
        assertTrue(link.server.inboundClosed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void inputAfterCloseNotifyIsIgnored(String protocol) throws SSLException {
        InMemoryLink link = InMemoryLink.localhost(TlsEngineHandshakeTest.clientContext(protocol)).handshake();
        link.client.closeOutbound();
        link.pump();

        ByteBuffer garbage = ByteBuffer.wrap(TlsEngineDataTest.random(100, 2));
        link.appOut.clear();
        assertEquals(TlsEngine.Status.CLOSED, link.server.unwrap(garbage, link.appOut));
        assertEquals(0, link.appOut.position());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void closeNotifySplitByteByByteIsRecognised(String protocol) throws SSLException {
        InMemoryLink link = InMemoryLink.localhost(TlsEngineHandshakeTest.clientContext(protocol)).handshake();
        link.chunk = 1;

        link.server.closeOutbound();
        link.pump();

        assertEquals(TlsEngine.Status.CLOSED, link.clientStatus);
    }

    @Test
    void closingMidHandshakeEndsThePeerInsteadOfLeavingItWaiting() throws SSLException {
        InMemoryLink link = InMemoryLink.localhost();
        link.client.begin();
        link.server.begin();
        link.clientToServer(); // the server answered the ClientHello; its flight is not delivered yet

        link.client.closeOutbound();
        assertTrue(link.client.networkOutput().hasRemaining(), "an alert is on its way");

        try {
            link.clientToServer();
            assertTrue(link.server.inboundClosed(), "server saw the close");
        } catch (SSLException abortedHandshake) {
            // Equally fine: the server reports the cancelled handshake as a failure.
        }
        assertFalse(link.server.handshakeDone());
        assertFalse(link.client.handshakeDone());
    }
}
