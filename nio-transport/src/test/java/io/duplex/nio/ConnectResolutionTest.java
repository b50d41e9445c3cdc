package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** connect() returns before the host name is resolved, and reports a name that does not resolve. */
class ConnectResolutionTest extends LoopbackFixture {

    @Test
    void connectReturnsBeforeResolutionAndFailsWithUnknownHost() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        Thread[] resolvedOn = new Thread[1];
        WebSocketClient client = client(b -> b.resolver(host -> {
            resolvedOn[0] = Thread.currentThread();
            asked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return InetAddress.getByName(host);
        }));
        try {
            CompletableFuture<WebSocket> f = client.connect(URI.create("ws://nonexistent.invalid/"), new Recorder());
            // The resolver is blocked until released: had connect waited for it, we would not be here yet.
            assertFalse(f.isDone(), "connect returned before the name was resolved");
            assertTrue(asked.await(10, TimeUnit.SECONDS), "the name is resolved");
            release.countDown();
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
            assertInstanceOf(java.net.UnknownHostException.class, e.getCause());
            assertNotEquals(Thread.currentThread(), resolvedOn[0], "not on the caller's thread");
        } finally {
            release.countDown();
            client.close();
        }
    }

    @Test
    void theProxyHostIsResolvedTheSameWay() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        String[] looked = new String[1];
        WebSocketClient client = client(b -> b.resolver(host -> {
            looked[0] = host;
            asked.countDown();
            throw new java.net.UnknownHostException(host);
        }).proxy(ProxySettings.of(java.net.InetSocketAddress.createUnresolved("proxy.invalid", 3128))));
        try {
            CompletableFuture<WebSocket> f = client.connect(URI.create("ws://example.invalid/"), new Recorder());
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
            assertInstanceOf(java.net.UnknownHostException.class, e.getCause());
            assertTrue(asked.await(1, TimeUnit.SECONDS));
            org.junit.jupiter.api.Assertions.assertEquals("proxy.invalid", looked[0], "the proxy's name, not the server's");
        } finally {
            client.close();
        }
    }

    /** An IP literal needs no lookup: the resolver is never asked, and the connection opens. */
    @Test
    void anIpLiteralIsConnectedWithoutTheResolver() throws Exception {
        WebSocketServer server = server(new Recorder());
        WebSocketClient client = client(b -> b.resolver(host -> {
            throw new AssertionError("the resolver was asked for " + host);
        }));
        try {
            WebSocket ws = client.connect(uri(server), new Recorder()).get(10, TimeUnit.SECONDS);
            assertTrue(ws.isOpen());
            ws.close();
        } finally {
            client.close();
        }
    }

    @Test
    void onlyDottedQuadsAndBracketedIpv6AreTakenAsLiterals() throws Exception {
        java.net.InetSocketAddress v4 = WebSocketClient.addressOf("10.0.255.7", 80);
        assertFalse(v4.isUnresolved());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {10, 0, (byte) 255, 7},
                v4.getAddress().getAddress());
        java.net.InetSocketAddress v6 = WebSocketClient.addressOf("[::1]", 443);
        assertFalse(v6.isUnresolved());
        assertTrue(v6.getAddress().isLoopbackAddress());
        for (String name : new String[] {"example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.",
                "01a.2.3.4", "localhost", ""}) {
            assertTrue(WebSocketClient.addressOf(name, 80).isUnresolved(), name);
        }
        assertThrows(java.net.UnknownHostException.class, () -> WebSocketClient.addressOf("[::zz]", 80));
    }
}
