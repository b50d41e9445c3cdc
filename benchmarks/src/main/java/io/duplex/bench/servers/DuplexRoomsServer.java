package io.duplex.bench.servers;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.PreparedMessage;
import io.duplex.nio.RoomMember;
import io.duplex.nio.Rooms;
import io.duplex.nio.WebSocketServer;
import io.duplex.redis.RedisRoomEngine;
import io.lettuce.core.RedisURI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Duplex rooms on one event loop, for the load generator's room scenarios. A connection to {@code /room/NAME}
 * joins room NAME; each binary message it sends is published to its room (every member gets it, the sender
 * included), and the text {@code broadcast:<size>} publishes one {@code size}-byte binary message to its room
 * (scenario (e) through a room). A connection to any other path is echoed, as by {@link DuplexEchoServer}.
 *
 * <p>Arguments: {@code PORT [redis://HOST:PORT]}. With a Redis URL the rooms are on the Redis engine, and this
 * server is one node of a cluster of every server started with the same URL (scenario (g)); otherwise they are
 * in memory.
 */
public final class DuplexRoomsServer {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private DuplexRoomsServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Ports.fromArgs(args);
        Rooms[] rooms = new Rooms[1];
        // Sends from another thread go through the loop's task queue, behind the fan-out the publish queued
        // there: the Ping's future completes once every member's frame was written or queued.
        ExecutorService reporter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "broadcast-report");
            t.setDaemon(true);
            return t;
        });
        WebSocketHandler handler = new WebSocketHandler() {
            private PreparedMessage broadcast;

            @Override
            public void onOpen(WebSocket socket) {
                String room = RoomPath.room(socket.handshakeRequest().path());
                if (room != null) {
                    // The membership, not the name: its room() is the room's one shared name string.
                    socket.attach(rooms[0].join(socket, room, null));
                }
            }

            @Override
            public void onText(WebSocket socket, String text) {
                int size = BroadcastTrigger.size(text);
                RoomMember member = socket.attachment();
                if (size < 0 || member == null) {
                    socket.offerText(text);
                    return;
                }
                if (broadcast == null || broadcast.payloadLength() != size) {
                    broadcast = PreparedMessage.binary(ByteBuffer.wrap(BroadcastTrigger.payload(size)));
                }
                long start = System.nanoTime();
                rooms[0].publish(member.room(), broadcast);
                reporter.execute(() -> socket.sendPing(EMPTY.duplicate())
                        .thenRun(() -> socket.sendText(BroadcastTrigger.done(start))));
            }

            @Override
            public void onBinary(WebSocket socket, ByteBuffer data) {
                RoomMember member = socket.attachment();
                if (member == null) {
                    socket.offerBinary(data);
                } else {
                    rooms[0].publish(member.room(), PreparedMessage.binary(data));
                }
            }
        };
        // No keepalive, as in NettyRoomsServer: in (f) most members only receive, and a Ping's reply would be
        // load that Netty's side does not get; the memory steps would also count the state a Pong leaves.
        WebSocketServer server = WebSocketServer.builder().port(port).loops(1).handler(handler)
                .pingInterval(Duration.ZERO).build();
        Rooms.Builder builder = Rooms.builder(server);
        if (args.length > 1) {
            builder.engine(RedisRoomEngine.builder(RedisURI.create(args[1])).build());
        }
        rooms[0] = builder.build();
        server.start();
        Ports.announce(args.length > 1 ? "duplex-rooms-redis" : "duplex-rooms", server.port());
        Thread.currentThread().join();
    }
}
