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
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Serves a Netty 4.2 WebSocket server on one event loop, {@code nio} or native {@code epoll} (the second
 * argument), until the process is stopped: HTTP codec, aggregator, Netty's WebSocket protocol handler, then
 * the benchmark's own handler. With {@link BenchOptions}' TLS, an {@code SslHandler} first (the JDK's
 * {@code SSLEngine}, or OpenSSL through netty-tcnative-boringssl-static); with its deflate, the
 * permessage-deflate handshaker of Netty's {@code WebSocketServerCompressionHandler} (level 6, 15-bit windows),
 * except that it also accepts a client's {@code server_no_context_takeover}, which that handler declines.
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
    static void serve(String[] args, String name, boolean anyPath, ChannelHandler handler) throws Exception {
        int port = Ports.fromArgs(args);
        boolean epoll = args.length > 1 && args[1].equals("epoll");
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, io);
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(anyPath)
                .maxFramePayloadLength(16 << 20)
                .allowExtensions(BenchOptions.deflate())
                .build();
        SslContext tls = tlsContext();
        boolean deflate = BenchOptions.deflate();
        Channel server = new ServerBootstrap()
                .group(loop)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192));
                        if (deflate) {
                            ch.pipeline().addLast(new WebSocketServerExtensionHandler(
                                    new PerMessageDeflateServerExtensionHandshaker(6, false, 15, true, false)));
                        }
                        ch.pipeline().addLast(new WebSocketServerProtocolHandler(ws), handler);
                    }
                })
                .bind(port).sync().channel();
        Ports.announce(name + (epoll ? "-epoll" : "-nio") + (tls != null && BenchOptions.openSsl() ? "-openssl" : "")
                + BenchOptions.suffix(), port);
        server.closeFuture().sync();
    }

    /** Netty's TLS context from {@link BenchOptions}, or null for plain ws://. */
    private static SslContext tlsContext() throws Exception {
        if (BenchOptions.keyStore() == null) {
            return null;
        }
        if (BenchOptions.conscrypt()) {
            throw new IllegalArgumentException("bench.tls.provider=conscrypt is Duplex's; Netty has openssl");
        }
        boolean openSsl = BenchOptions.openSsl();
        if (openSsl && !OpenSsl.isAvailable()) {
            throw new IllegalStateException("bench.tls.provider=openssl but netty-tcnative is not usable",
                    OpenSsl.unavailabilityCause());
        }
        return SslContextBuilder.forServer(BenchOptions.keyManagers())
                .sslProvider(openSsl ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }
}
