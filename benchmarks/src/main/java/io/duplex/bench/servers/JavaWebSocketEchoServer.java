package io.duplex.bench.servers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/** Java-WebSocket with one decoder thread: echoes each message with its opcode; answers the broadcast trigger. */
public final class JavaWebSocketEchoServer extends WebSocketServer {

    private JavaWebSocketEchoServer(int port) {
        super(new InetSocketAddress(port), 1);
        setReuseAddr(true);
        setTcpNoDelay(true);
        // No pings from the server: the load generator measures echoes only, idle connections stay idle.
        setConnectionLostTimeout(0);
    }

    public static void main(String[] args) throws Exception {
        int port = Ports.fromArgs(args);
        new JavaWebSocketEchoServer(port).start();
        Thread.currentThread().join();
    }

    @Override
    public void onStart() {
        Ports.announce("java-websocket", getPort());
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        int size = BroadcastTrigger.size(message);
        if (size < 0) {
            conn.send(message);
        } else {
            broadcast(BroadcastTrigger.payload(size));
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        conn.send(message);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            ex.printStackTrace();
        }
    }
}
