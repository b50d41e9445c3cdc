package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The CONNECT request and the incremental reading of a proxy's answer (RFC 9110 §9.3.6, RFC 7617 §2). */
class ProxyTunnelTest {

    private static final ProxySettings PROXY = ProxySettings.of(InetSocketAddress.createUnresolved("proxy.test", 3128));

    private static ProxyTunnel tunnel(ProxySettings settings) {
        return new ProxyTunnel(settings, "example.com", 443, 8192, 100);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.ISO_8859_1.decode(b.duplicate()).toString();
    }

    @Test
    void requestUsesTheAuthorityFormAndAHostField() {
        assertEquals("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
                text(tunnel(PROXY).request()));
        assertEquals("CONNECT [::1]:80 HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
                text(new ProxyTunnel(PROXY, "[::1]", 80, 8192, 100).request()));
    }

    @Test
    void basicCredentialsFollowRfc7617() {
        // RFC 7617 §2: the example credentials, and §2.1's UTF-8 example.
        assertTrue(text(tunnel(PROXY.withBasicAuth("Aladdin", "open sesame")).request())
                .contains("\r\nProxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"));
        assertTrue(text(tunnel(PROXY.withBasicAuth("test", "123\u00a3")).request())
                .contains("\r\nProxy-Authorization: Basic dGVzdDoxMjPCow==\r\n"));
        assertThrows(IllegalArgumentException.class, () -> PROXY.withBasicAuth("a:b", "c"));
        assertThrows(IllegalArgumentException.class, () -> PROXY.withBasicAuth("a", "c\r\nX: y"));
        ProxySettings withAuth = PROXY.withBasicAuth("alice", "hunter2");
        assertFalse(withAuth.toString().contains("hunter2"));
        assertEquals("alice", withAuth.user());
        assertEquals(withAuth, PROXY.withBasicAuth("alice", "hunter2"));
        assertFalse(withAuth.equals(PROXY.withBasicAuth("alice", "other")));
    }

    @Property(tries = 60)
    void answerSplitAnywhereLeavesTheTunnelBytes(@ForAll @IntRange(min = 0, max = 60) int split) throws Exception {
        String answer = "HTTP/1.1 200 Connection established\r\nVia: 1.1 proxy\r\n\r\n";
        byte[] all = (answer + "TUNNEL").getBytes(StandardCharsets.ISO_8859_1);
        int cut = Math.min(split, all.length);
        ProxyTunnel t = tunnel(PROXY);
        ByteBuffer first = ByteBuffer.wrap(all, 0, cut);
        boolean done = t.receive(first);
        assertEquals(cut >= answer.length(), done);
        if (!done) {
            assertFalse(first.hasRemaining(), "an unfinished head is consumed whole");
            ByteBuffer rest = ByteBuffer.wrap(all, cut, all.length - cut);
            assertTrue(t.receive(rest));
            assertEquals("TUNNEL", text(rest));
        } else {
            assertEquals("TUNNEL".substring(0, cut - answer.length()), text(first));
        }
    }

    @Test
    void http10AnswersAndInterimResponsesAreAccepted() throws Exception {
        assertTrue(tunnel(PROXY).receive(ascii("HTTP/1.0 200 Connection established\r\n\r\n")));
        ByteBuffer in = ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 \r\nContent-Length: 5\r\n\r\nabc");
        assertTrue(tunnel(PROXY).receive(in));
        assertEquals("abc", text(in), "a 2xx's Content-Length is ignored: the rest is tunnel");
    }

    @Test
    void aRefusalCarriesTheStatusAndChallenge() {
        ProxyConnectException e = assertThrows(ProxyConnectException.class, () -> tunnel(PROXY).receive(ascii(
                "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n\r\n")));
        assertEquals(407, e.status());
        assertTrue(e.getMessage().contains("407 Proxy Authentication Required"), e.getMessage());
        assertTrue(e.getMessage().contains("Basic realm=\"corp\""), e.getMessage());
        assertEquals(502, assertThrows(ProxyConnectException.class,
                () -> tunnel(PROXY).receive(ascii("HTTP/1.1 502 Bad Gateway\r\n\r\n"))).status());
        assertEquals(101, assertThrows(ProxyConnectException.class,
                () -> tunnel(PROXY).receive(ascii("HTTP/1.1 101 Switching Protocols\r\n\r\n"))).status());
    }

    @Test
    void malformedOrOversizedAnswersFailWithStatusZero() {
        for (String bad : new String[] {"HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "SSH-2.0-OpenSSH\r\n\r\n",
                "HTTP/1.1 200 OK\nVia: x\r\n\r\n", "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "HTTP/1.1 099 Low\r\n\r\n"}) {
            assertEquals(0, assertThrows(ProxyConnectException.class, () -> tunnel(PROXY).receive(ascii(bad)),
                    bad).status(), bad);
        }
        ProxyTunnel small = new ProxyTunnel(PROXY, "example.com", 443, 64, 100);
        ByteBuffer flood = ascii("HTTP/1.1 200 OK\r\nX: " + "a".repeat(200) + "\r\n\r\n");
        assertEquals(0, assertThrows(ProxyConnectException.class, () -> small.receive(flood)).status());
    }
}
