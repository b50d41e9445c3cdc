package io.duplex.bench.servers;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12.1 with its default (Jetty) WebSocket API and default thread pool: echoes each message with its
 * opcode. Only the limits are raised: 16 MiB messages (like the other servers) and no idle timeout.
 */
public final class JettyEchoServer {

    private JettyEchoServer() {
    }

    /** One endpoint per connection; demand is automatic. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            // The payload stays valid until the callback completes, so the send completes it.
            session.sendBinary(payload, callback);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Ports.fromArgs(args);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        connector.setIdleTimeout(Duration.ofHours(1).toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(16 << 20);
            container.setMaxTextMessageSize(16 << 20);
            container.setIdleTimeout(Duration.ofHours(1));
            container.addMapping("/", (request, response, callback) -> new Echo());
        }));
        server.start();
        Ports.announce("jetty", connector.getLocalPort());
        server.join();
    }
}
