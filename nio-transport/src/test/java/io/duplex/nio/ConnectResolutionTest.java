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
}
