package io.duplex.bench.servers;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Netty 4.2 on one event loop ({@code nio} or {@code epoll}) with one {@link ChannelGroup} per room, the way a
 * Netty application does rooms: a connection to {@code /room/NAME} is added to room NAME's group (and leaves
 * it when it closes, as groups do), and each binary frame it sends is written to the whole group with
 * {@code writeAndFlush}. Other paths are echoed.
 */
public final class NettyRoomsServer {

    private static final AttributeKey<ChannelGroup> ROOM = AttributeKey.valueOf("room");

    private NettyRoomsServer() {
    }

    public static void main(String[] args) throws Exception {
        NettyServer.serve(args, "netty-rooms", true, new Rooms());
    }

    /** Puts each connection in its room's group; writes each binary frame to the sender's group. */
    @ChannelHandler.Sharable
    static final class Rooms extends ChannelInboundHandlerAdapter {
        private final ConcurrentMap<String, ChannelGroup> groups = new ConcurrentHashMap<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                String path = done.requestUri();
                int query = path.indexOf('?');
                String room = RoomPath.room(query < 0 ? path : path.substring(0, query));
                if (room != null) {
                    ChannelGroup group = groups.computeIfAbsent(room,
                            name -> new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE));
                    group.add(ctx.channel());
                    ctx.channel().attr(ROOM).set(group);
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ChannelGroup group = ctx.channel().attr(ROOM).get();
            if (group != null && msg instanceof BinaryWebSocketFrame frame) {
                // The group writes a retained duplicate to each member and releases the original.
                group.writeAndFlush(frame);
                return;
            }
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
