package io.duplex.bench.servers;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Netty 4.2 on one event loop, {@code nio} or native {@code epoll} transport: echoes each frame with its
 * opcode (the load generator never fragments, so a frame is a message) and answers the broadcast trigger.
 */
public final class NettyEchoServer {

    private NettyEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        NettyServer.serve(args, "netty", false, new Echo(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)));
    }

    /** Writes each data frame back; flushes once per read burst. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        private final ChannelGroup open;

        Echo(ChannelGroup open) {
            this.open = open;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                open.add(ctx.channel());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame text && text.content().readableBytes() < 20) {
                int size = BroadcastTrigger.size(text.text());
                if (size >= 0) {
                    text.release();
                    long start = System.nanoTime();
                    Channel origin = ctx.channel();
                    open.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(BroadcastTrigger.payload(size))))
                            .addListener(f -> origin.writeAndFlush(new TextWebSocketFrame(BroadcastTrigger.done(start))));
                    return;
                }
            }
            // Nobody waits for the echo's outcome: the void promise spares a promise per frame.
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
