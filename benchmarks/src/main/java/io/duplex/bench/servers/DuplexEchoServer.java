package io.duplex.bench.servers;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.PreparedMessage;
import io.duplex.nio.WebSocketServer;
import java.nio.ByteBuffer;

/** Duplex on one event loop: echoes each message with its opcode; answers the broadcast trigger. */
public final class DuplexEchoServer {

    private DuplexEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Ports.fromArgs(args);
        WebSocketServer[] self = new WebSocketServer[1];
        WebSocketHandler echo = new WebSocketHandler() {
            private PreparedMessage broadcast;

            @Override
            public void onText(WebSocket socket, String text) {
                int size = BroadcastTrigger.size(text);
                if (size < 0) {
                    // Nobody waits for the echo's outcome: an offer creates no future.
                    socket.offerText(text);
                    return;
                }
                if (broadcast == null || broadcast.payloadLength() != size) {
                    broadcast = PreparedMessage.binary(ByteBuffer.wrap(BroadcastTrigger.payload(size)));
                }
                long start = System.nanoTime();
                self[0].broadcast(broadcast).thenRun(() -> socket.sendText(BroadcastTrigger.done(start)));
            }

            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                socket.offerBinary(data);
            }
        };
        self[0] = WebSocketServer.builder().port(port).loops(1).handler(echo).build().start();
        Ports.announce("duplex", self[0].port());
        Thread.currentThread().join();
    }
}
