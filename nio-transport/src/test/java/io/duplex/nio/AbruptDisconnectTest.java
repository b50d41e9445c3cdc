package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Peers that vanish in every state: each connection ends with exactly one onClose (1006 when no close
 * handshake completed, §7.1.5), and the fixture proves no channel or pooled buffer leaked.
 */
class AbruptDisconnectTest extends LoopbackFixture {

    @Test
    void duringTheHandshake() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n");
            eventually(() -> server.connectionCount() == 1, "connection accepted");
            raw.reset();
        }
        eventually(() -> server.connectionCount() == 0, "connection released");
        assertFalse(serverSide.opened.isDone());
    }

    @Test
    void midFrame() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        try (RawClient raw = new RawClient(server.port())) {
            raw.upgrade();
            raw.send(RawClient.frameHeader(0x2, true, 1000));
            raw.send(new byte[10]);
            serverSide.opened.get(5, TimeUnit.SECONDS);
            raw.reset();
        }
        Recorder.Closed closed = serverSide.awaitClose();
        assertEquals(CloseStatus.ABNORMAL_CLOSURE, closed.status().code());
        assertFalse(closed.clean());
        assertEquals(1, serverSide.closeCount.get());
    }

    @Test
    void afterOurCloseWasSent() throws Exception {
        Recorder serverSide = new Recorder() {
            @Override
            public void onOpen(WebSocket socket) {
                super.onOpen(socket);
                socket.close(CloseStatus.NORMAL_CLOSURE, "");
            }
        };
        WebSocketServer server = server(serverSide);
        try (RawClient raw = new RawClient(server.port())) {
            raw.upgrade();
            assertEquals(0x8, raw.readFrame().opcode());
            raw.reset();
        }
        Recorder.Closed closed = serverSide.awaitClose();
        assertFalse(closed.clean());
        assertEquals(1, serverSide.closeCount.get());
    }

    @Test
    void whileTheServerHasQueuedBytes() throws Exception {
        Recorder serverSide = new Recorder() {
            @Override
            public void onOpen(WebSocket socket) {
                super.onOpen(socket);
                for (int i = 0; i < 64; i++) {
                    socket.sendBinary(ByteBuffer.allocate(64 << 10)); // 4 MiB: most of it queued in pooled chunks
                }
            }
        };
        WebSocketServer server = server(serverSide);
        try (RawClient raw = new RawClient(server.port(), 4096)) {
            raw.upgrade();
            serverSide.opened.get(5, TimeUnit.SECONDS);
            raw.reset();
        }
        Recorder.Closed closed = serverSide.awaitClose();
        assertEquals(CloseStatus.ABNORMAL_CLOSURE, closed.status().code());
        eventually(() -> group.outstandingBuffers() == 0, "queued chunks returned to the pool");
    }

    @Test
    void clientSideSeesTheServerVanish() throws Exception {
        Recorder serverSide = new Recorder();
        WebSocketServer server = server(serverSide);
        Recorder clientSide = new Recorder();
        connect(server, clientSide);
        serverSide.opened.get(5, TimeUnit.SECONDS).abort();
        Recorder.Closed closed = clientSide.awaitClose();
        assertEquals(CloseStatus.ABNORMAL_CLOSURE, closed.status().code());
        assertEquals(1, clientSide.closeCount.get());
        serverSide.awaitClose();
        assertEquals(1, serverSide.closeCount.get());
    }
}
