package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Large binary messages over real sockets (RFC 6455 §5.2, §5.3): an echo server sends back the buffer it was
 * given, which the transport queues by reference when a slow peer's socket refuses part of it. The bytes
 * must arrive intact and in order, and (checked by the fixture) every pooled buffer is returned.
 */
class LargeMessageLoopbackTest extends LoopbackFixture {

    private static final WebSocketHandler ECHO = new WebSocketHandler() {
        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }
    };

    private static byte[] random(int n, long seed) {
        byte[] a = new byte[n];
        new Random(seed).nextBytes(a);
        return a;
    }

    @Test
    void aSlowReaderGetsEveryEchoedMessageIntactAndInOrder() throws Exception {
        WebSocketServer server = server(ECHO);
        int[] sizes = {70_000, 1 << 20, 5000, (1 << 20) + 17, 300_000, 4 << 20};
        try (RawClient peer = new RawClient(server.port(), 8 * 1024)) {
            peer.upgrade();
            // Send everything before reading anything: the server's socket fills and it must queue.
            for (int i = 0; i < sizes.length; i++) {
                peer.send(RawClient.frame(0x2, random(sizes[i], i)));
            }
            for (int i = 0; i < sizes.length; i++) {
                Thread.sleep(20); // read slowly
                RawClient.Frame f = peer.readFrame();
                assertEquals(0x2, f.opcode());
                assertArrayEquals(random(sizes[i], i), f.payload(), "message " + i);
            }
        }
    }

    @Test
    void aUserBufferReusedAfterItsSendCompletedDoesNotChangeWhatWasSent() throws Exception {
        LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        WebSocketServer server = server(ECHO);
        WebSocket client = connect(server, new WebSocketHandler() {
            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                byte[] a = new byte[data.remaining()];
                data.get(a);
                received.add(a);
            }
        });
        ByteBuffer reused = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < 4; i++) {
            byte[] expected = random(1 << 20, 100 + i);
            reused.clear();
            reused.put(expected).flip();
            client.sendBinary(reused).get(10, TimeUnit.SECONDS);
            // The send completed: overwrite the buffer at once, while the echo may still be on its way.
            reused.clear();
            reused.put(new byte[1 << 20]);
            byte[] echoed = received.poll(10, TimeUnit.SECONDS);
            assertArrayEquals(expected, echoed, "message " + i);
        }
        client.close(1000, "").get(10, TimeUnit.SECONDS);
    }
}
