package io.duplex.bench.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Serves a Netty 4.2 WebSocket server on one event loop, {@code nio} or native {@code epoll} (the second
 * argument), until the process is stopped: HTTP codec, aggregator, Netty's WebSocket protocol handler, then
 * the benchmark's own handler.
 */
final class NettyServer {

    private NettyServer() {
    }

    /**
     * @param args {@code PORT [nio|epoll]}
     * @param name the server's name in the "listening" line, before "-nio" or "-epoll"
     * @param anyPath whether every path upgrades (else only {@code /})
     * @param handler the last handler of every connection's pipeline; shared
     */
    static void serve(String[] args, String name, boolean anyPath, ChannelHandler handler) throws InterruptedException {
        int port = Ports.fromArgs(args);
        boolean epoll = args.length > 1 && args[1].equals("epoll");
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, io);
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(anyPath)
                .maxFramePayloadLength(16 << 20)
                .build();
        Channel server = new ServerBootstrap()
                .group(loop)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(ws), handler);
                    }
                })
                .bind(port).sync().channel();
        Ports.announce(name + (epoll ? "-epoll" : "-nio"), port);
        server.closeFuture().sync();
    }
}
