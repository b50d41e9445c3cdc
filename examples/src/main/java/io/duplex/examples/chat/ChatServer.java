package io.duplex.examples.chat;

import io.duplex.core.HttpHeaders;
import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.HttpResponse;
import io.duplex.nio.InMemoryRoomEngine;
import io.duplex.nio.RoomEngine;
import io.duplex.nio.Rooms;
import io.duplex.nio.SlowMemberPolicy;
import io.duplex.nio.WebSocketServer;
import io.duplex.redis.RedisPresence;
import io.duplex.redis.RedisRoomEngine;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat server: the page at {@code http://HOST:PORT/} and the chat protocol at {@code ws://HOST:PORT/chat},
 * on one port. Rooms keep their last {@code --history} messages for clients that reconnect. With
 * {@code --redis redis://HOST:PORT} the server is one node of a cluster: rooms, history and presence span every
 * node on that Redis, with the same protocol.
 *
 * <p>The protocol: JSON text frames, one object each.
 * <ul>
 *   <li>client to server: {@code {"op":"join","room":R,"nick":N}} (optionally {@code "since":S} to resume
 *       after sequence S), {@code {"op":"say","room":R,"text":T}}, {@code {"op":"leave","room":R}},
 *       {@code {"op":"who","room":R}}. Rooms and nicks have 1 to 64 characters, texts at most 4,096.
 *   <li>server to client: {@code {"op":"joined","room":R,"seq":S}} (the room's latest sequence number, 0 for
 *       a new room), then {@code {"op":"gap","room":R,"from":S1,"to":S2}} if a resume asked for messages no
 *       longer kept (both inclusive), then the kept messages after {@code since};
 *       {@code {"op":"message","room":R,"nick":N,"text":T,"seq":S}} (S increases by 1 per room, the same for
 *       every member; the sender gets its own); {@code {"op":"presence","room":R,"nick":N,"event":"join"|"leave"}}
 *       to the others; {@code {"op":"members","room":R,"nicks":[...]}}; {@code {"op":"error","reason":...}}
 *       once per bad request, the connection staying open.
 *   <li>A member more than {@code --backlog} bytes behind is skipped and told with a {@code gap} before the
 *       next message it gets ({@code --slow skip}, the default) or closed with 1013 ({@code --slow close}).
 * </ul>
 */
public final class ChatServer implements AutoCloseable {

    /** The settings of a chat server; the defaults are the command line's. */
    public static final class Options {
        String host;
        int port = 8080;
        int loops = Runtime.getRuntime().availableProcessors();
        int history = 1000;
        long memberBacklog = 256 * 1024;
        SlowMemberPolicy slowPolicy = SlowMemberPolicy.SKIP;
        String redis;

        /**
         * Parses {@code --port P --host H --loops N --history N --backlog BYTES --slow skip|close
         * --redis redis://HOST:PORT}.
         */
        public static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException("missing value after " + args[i]);
                }
                switch (args[i]) {
                    case "--port" -> o.port = Integer.parseInt(value);
                    case "--host" -> o.host = value;
                    case "--loops" -> o.loops = Integer.parseInt(value);
                    case "--history" -> o.history = Integer.parseInt(value);
                    case "--redis" -> o.redis = value;
                    case "--backlog" -> o.memberBacklog = Long.parseLong(value);
                    case "--slow" -> o.slowPolicy = switch (value) {
                        case "skip" -> SlowMemberPolicy.SKIP;
                        case "close" -> SlowMemberPolicy.CLOSE_TRY_AGAIN_LATER;
                        default -> throw new IllegalArgumentException("--slow takes skip or close, not " + value);
                    };
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            return o;
        }

        /** The options for a test: any free port on loopback. */
        public static Options loopback() {
            Options o = new Options();
            o.host = "127.0.0.1";
            o.port = 0;
            return o;
        }

        /** Sets the event loop count. */
        public Options loops(int n) {
            loops = n;
            return this;
        }

        /** Sets how many bytes a member may have buffered before it is skipped or closed. */
        public Options memberBacklog(long bytes) {
            memberBacklog = bytes;
            return this;
        }

        /** Sets what happens to a member that falls behind. */
        public Options slowPolicy(SlowMemberPolicy policy) {
            slowPolicy = policy;
            return this;
        }

        /** Makes this server a node of a cluster on the Redis at {@code url} ({@code redis://HOST:PORT}). */
        public Options redis(String url) {
            redis = url;
            return this;
        }

        /** Sets how many messages each room keeps for resume. */
        public Options history(int count) {
            history = count;
            return this;
        }
    }

    private final WebSocketServer server;
    private final String host;
    /** The Redis engine and presence to close, with --redis; empty otherwise. */
    private final List<AutoCloseable> cluster;

    private ChatServer(WebSocketServer server, String host, List<AutoCloseable> cluster) {
        this.server = server;
        this.host = host;
        this.cluster = cluster;
    }

    /** Starts a chat server. */
    public static ChatServer start(Options o) throws IOException {
        String page = page();
        ChatPresence presence = new ChatPresence();
        ChatHandler handler = new ChatHandler();
        WebSocketServer.Builder b = WebSocketServer.builder()
                .port(o.port)
                .loops(EventLoopGroup.create(o.loops))
                .route("/chat", handler)
                .httpHandler(request -> request.path().equals("/")
                        ? HttpResponse.html(page)
                        : HttpResponse.of(404, "Not Found", HttpHeaders.empty(),
                                "not found".getBytes(StandardCharsets.US_ASCII)));
        if (o.host != null) {
            b.host(o.host);
        }
        WebSocketServer server = b.build();
        RoomEngine engine;
        RedisPresence cluster = null;
        if (o.redis != null) {
            RedisRoomEngine redis = RedisRoomEngine.builder(RedisURI.create(o.redis)).historyCount(o.history).build();
            cluster = RedisPresence.create(redis, Duration.ofSeconds(1), Duration.ofSeconds(5), presence::swept);
            engine = redis;
        } else {
            engine = InMemoryRoomEngine.builder().historyCount(o.history).build();
        }
        Rooms rooms = Rooms.builder(server)
                .engine(engine)
                .listener(presence)
                .memberBacklog(o.memberBacklog)
                .slowMemberPolicy(o.slowPolicy)
                .build();
        presence.bind(rooms, cluster);
        RedisPresence everywhere = cluster;
        handler.bind(rooms, everywhere != null ? everywhere::members : room -> ChatHandler.localMembers(rooms, room));
        server.start();
        List<AutoCloseable> closing = new ArrayList<>();
        if (cluster != null) {
            closing.add(cluster);
            closing.add((AutoCloseable) engine);
        }
        return new ChatServer(server, o.host == null ? "localhost" : o.host, closing);
    }

    /** The page's URL. */
    public String pageUrl() {
        return "http://" + host + ":" + server.port() + "/";
    }

    /** The chat WebSocket's URL. */
    public String socketUrl() {
        return "ws://" + host + ":" + server.port() + "/chat";
    }

    /** The WebSocket server underneath (tests drop its connections to exercise reconnect). */
    WebSocketServer server() {
        return server;
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** Stops the server: open connections get a 1001 close, then the loops stop. */
    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
        server.loops().close();
        for (AutoCloseable c : cluster) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c, e);
            }
        }
    }

    /**
     * Runs a chat server until the process is stopped (SIGTERM or Ctrl-C stops it cleanly).
     *
     * @param args {@code --port P [--host H] [--loops N] [--history N] [--backlog BYTES] [--slow skip|close]
     *     [--redis redis://HOST:PORT]}
     */
    public static void main(String[] args) throws Exception {
        ChatServer chat = start(Options.parse(args));
        System.out.println("Duplex chat: open " + chat.pageUrl() + " (WebSocket " + chat.socketUrl() + ")");
        Object done = new Object();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            chat.close();
            synchronized (done) {
                done.notifyAll();
            }
        }, "chat-shutdown"));
        synchronized (done) {
            done.wait();
        }
    }

    private static String page() {
        try (InputStream in = ChatServer.class.getResourceAsStream("chat.html")) {
            if (in == null) {
                throw new IllegalStateException("chat.html missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
