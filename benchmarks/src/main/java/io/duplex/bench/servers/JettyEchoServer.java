package io.duplex.bench.servers;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12.1 with its default (Jetty) WebSocket API and default thread pool: echoes each message with its
 * opcode and answers the broadcast trigger. Only the limits are raised: 16 MiB messages (like the other
 * servers) and no idle timeout. With {@link BenchOptions}' key store it serves wss:// through Jetty's
 * {@code SslConnectionFactory} (the JDK's {@code SSLEngine}).
 */
public final class JettyEchoServer {

    private JettyEchoServer() {
    }

    /** Every open session, for the broadcast trigger. */
    private static final Set<Session> OPEN = ConcurrentHashMap.newKeySet();

    /** One endpoint per connection; demand is automatic. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            OPEN.add(session);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            OPEN.remove(session);
        }

        @Override
        public void onWebSocketText(String message) {
            int size = BroadcastTrigger.size(message);
            if (size < 0) {
                session.sendText(message, Callback.NOOP);
                return;
            }
            broadcast(session, BroadcastTrigger.payload(size));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            // The payload stays valid until the callback completes, so the send completes it.
            session.sendBinary(payload, callback);
        }
    }

    /** Sends {@code payload} to every open session; answers {@code origin} once Jetty completed every send. */
    private static void broadcast(Session origin, byte[] payload) {
        long start = System.nanoTime();
        Session[] targets = OPEN.toArray(new Session[0]);
        AtomicInteger pending = new AtomicInteger(targets.length);
        Runnable one = () -> {
            if (pending.decrementAndGet() == 0) {
                origin.sendText(BroadcastTrigger.done(start), Callback.NOOP);
            }
        };
        for (Session s : targets) {
            // Jetty frames each send itself: a read-only view per session shares the one payload array.
            s.sendBinary(ByteBuffer.wrap(payload).asReadOnlyBuffer(), Callback.from(one, failure -> one.run()));
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Ports.fromArgs(args);
        Server server = new Server();
        ServerConnector connector;
        if (BenchOptions.keyStore() != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(BenchOptions.keyStore().toString());
            tls.setKeyStorePassword(BenchOptions.keyStorePassword());
            tls.setKeyStoreType("PKCS12");
            tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            connector = new ServerConnector(server, tls);
        } else {
            connector = new ServerConnector(server);
        }
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
        Ports.announce("jetty" + BenchOptions.suffix(), connector.getLocalPort());
        server.join();
    }
}
