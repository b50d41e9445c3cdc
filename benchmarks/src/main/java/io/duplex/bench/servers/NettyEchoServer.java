package io.duplex.bench.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
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
        int port = Ports.fromArgs(args);
        boolean epoll = args.length > 1 && args[1].equals("epoll");
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, io);
        ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .maxFramePayloadLength(16 << 20)
                .build();
        Echo echo = new Echo(open);
        Channel server = new ServerBootstrap()
                .group(loop)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(ws), echo);
                    }
                })
                .bind(port).sync().channel();
        Ports.announce(epoll ? "netty-epoll" : "netty-nio", port);
        server.closeFuture().sync();
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
