package io.duplex.redis;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.PreparedMessage;
import io.duplex.nio.RoomListener;
import io.duplex.nio.RoomMember;
import io.duplex.nio.RoomSnapshot;
import io.duplex.nio.Rooms;
import io.duplex.nio.WebSocketServer;
import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One server node in this JVM: a WebSocket server with rooms on its own {@link RedisRoomEngine} (its own
 * Lettuce client). A client joins with the text {@code "join SINCE ROOM"} (ROOM is the rest of the text, any
 * characters) and gets {@code "joined LATEST"}, then {@code "gap FROM TO"} if any, then the room's messages;
 * {@code "leave ROOM"} leaves. {@code "echo X"} is answered with itself at once, on the event loop, without
 * Redis. {@code "say ROOM\nTEXT"} publishes {@code "SEQ TEXT"} from the event loop and is answered, when
 * Redis has, with {@code "published SEQ"} or {@code "failed REASON"}.
 */
final class Node implements AutoCloseable {

    final RedisRoomEngine engine;
    final WebSocketServer server;
    final Rooms rooms;
    final BlockingQueue<WebSocket> accepted = new LinkedBlockingQueue<>();

    Node(EventLoopGroup loops, RedisURI redis, Consumer<RedisRoomEngine.Builder> options) throws Exception {
        RedisRoomEngine.Builder b = RedisRoomEngine.builder(redis);
        options.accept(b);
        engine = b.build();
        Rooms[] self = new Rooms[1];
        server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(loops).handler(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket ws) {
                accepted.add(ws);
            }

            @Override
            public void onText(WebSocket ws, String text) {
                if (text.startsWith("join ")) {
                    int sp = text.indexOf(' ', 5);
                    long since = Long.parseLong(text.substring(5, sp));
                    self[0].join(ws, text.substring(sp + 1), null, since, Node::greeting);
                } else if (text.startsWith("leave ")) {
                    self[0].leave(ws, text.substring(6));
                } else if (text.startsWith("echo ")) {
                    ws.sendText(text);
                } else if (text.startsWith("say ")) {
                    int nl = text.indexOf('\n');
                    String said = text.substring(nl + 1);
                    self[0].publish(text.substring(4, nl), seq -> PreparedMessage.text(seq + " " + said))
                            .whenComplete((seq, e) -> ws.sendText(e == null ? "published " + seq
                                    : "failed " + (e.getCause() == null ? e : e.getCause()).getMessage()));
                }
            }
        }).build().start();
        rooms = Rooms.builder(server).engine(engine).listener(new RoomListener() {
            @Override
            public void onGap(RoomMember m, long from, long to) {
                m.socket().sendText("gap " + from + " " + to);
            }
        }).build();
        self[0] = rooms;
    }

    private static List<PreparedMessage> greeting(RoomSnapshot s) {
        List<PreparedMessage> out = new ArrayList<>();
        out.add(PreparedMessage.text("joined " + s.latest()));
        if (s.hasGap()) {
            out.add(PreparedMessage.text("gap " + s.gapFrom() + " " + s.gapTo()));
        }
        return out;
    }

    String url() {
        return "ws://127.0.0.1:" + server.port() + "/";
    }

    /** Publishes {@code "SEQ TEXT"} to {@code room}. */
    java.util.concurrent.CompletableFuture<Long> say(String room, String text) {
        return rooms.publish(room, seq -> PreparedMessage.text(seq + " " + text));
    }

    WebSocket takeAccepted() throws InterruptedException {
        WebSocket s = accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(s, "server side of the connection");
        return s;
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
