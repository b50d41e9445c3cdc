package io.duplex.bench.servers;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.PreparedMessage;
import io.duplex.nio.WebSocketServer;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Duplex on one event loop: echoes each message with its opcode; answers the broadcast trigger. wss:// and
 * permessage-deflate (its defaults: level 6, any context takeover the client offers) as {@link BenchOptions}
 * says.
 */
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
        WebSocketServer.Builder builder = WebSocketServer.builder().port(port).loops(1).handler(echo);
        SSLContext tls = BenchOptions.tlsContext();
        if (tls != null) {
            builder.tls(tls);
        }
        if (BenchOptions.deflate()) {
            builder.extensions(List.of(PerMessageDeflate.defaults()));
        }
        self[0] = builder.build().start();
        Ports.announce("duplex" + BenchOptions.suffix(), self[0].port());
        Thread.currentThread().join();
    }
}
