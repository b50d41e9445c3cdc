package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionRegistryTest extends RoomsFixture {

    @Test
    void everyConnectionHasAnIdAndCanBeFoundByIt() throws Exception {
        start();
        Peer a = peer();
        Peer b = peer();
        Peer c = peer();
        Set<Long> ids = new HashSet<>();
        for (Peer p : new Peer[] {a, b, c}) {
            assertTrue(p.server().id() > 0, "ids are positive");
            ids.add(p.server().id());
            assertSame(p.server(), server.connection(p.server().id()));
        }
        assertEquals(3, ids.size(), "ids are distinct");
        assertEquals(3, server.connections().size());
        Set<Long> listed = new HashSet<>();
        for (WebSocket ws : server.connections()) {
            listed.add(ws.id());
        }
        assertEquals(ids, listed);
        assertEquals(0, a.client().id(), "client connections have no id");

        long bId = b.server().id();
        b.client().close();
        eventually(() -> server.connection(bId) == null, "closed connection unlisted");
        assertEquals(2, server.connections().size());
        assertEquals(bId, b.server().id(), "the id stays readable after close");
        Peer d = peer();
        assertTrue(d.server().id() > c.server().id(), "ids are not reused");
    }

    @Test
    void twoServersNumberIndependently() throws Exception {
        start();
        Peer a = peer();
        WebSocketServer other = server(new WebSocketHandler() { });
        WebSocket x = connect(other, new Recorder());
        eventually(() -> other.connections().size() == 1, "other server's connection");
        assertEquals(a.server().id(), other.connections().iterator().next().id(),
                "each server counts from 1 on its own");
        x.close();
    }

    @Test
    void remoteAddressIsReadableInOnCloseAfterAReset() throws Exception {
        CompletableFuture<InetSocketAddress> seen = new CompletableFuture<>();
        CompletableFuture<Long> idSeen = new CompletableFuture<>();
        server = server(new WebSocketHandler() {
            @Override
            public void onClose(WebSocket ws, CloseStatus status, boolean clean) {
                idSeen.complete(ws.id());
                seen.complete(ws.remoteAddress());
            }
        });
        RawClient raw = new RawClient(server.port());
        raw.upgrade();
        int localPort = raw.socket.getLocalPort();
        eventually(() -> server.connections().size() == 1, "connection listed");
        long id = server.connections().iterator().next().id();
        raw.reset();
        InetSocketAddress remote = seen.get(10, TimeUnit.SECONDS);
        assertNotNull(remote, "remoteAddress() in onClose after an abrupt disconnect");
        assertEquals(localPort, remote.getPort());
        assertEquals(id, idSeen.get(10, TimeUnit.SECONDS));
        assertNull(server.connection(id), "unlisted before onClose");
        assertNotEquals(0, id);
    }
}
