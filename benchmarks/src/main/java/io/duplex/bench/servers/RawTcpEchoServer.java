package io.duplex.bench.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A plain TCP echo on one NIO selector thread, no framing: the loopback ceiling for the WebSocket servers.
 * Reading stops while echoed bytes wait to be written, so a slow reader gets back-pressure, not a queue.
 */
public final class RawTcpEchoServer {

    private RawTcpEchoServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = Ports.fromArgs(args);
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(port), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        Ports.announce("raw-tcp", port);
        while (true) {
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                try {
                    if (key.isAcceptable()) {
                        accept(server, selector);
                    } else {
                        pump(key);
                    }
                } catch (IOException e) {
                    key.cancel();
                    key.channel().close();
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private static void accept(ServerSocketChannel server, Selector selector) throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ, ByteBuffer.allocateDirect(64 << 10));
        }
    }

    private static void pump(SelectionKey key) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        ByteBuffer buf = (ByteBuffer) key.attachment();
        if (key.isWritable() || buf.position() == 0) {
            if (buf.position() > 0) {
                buf.flip();
                ch.write(buf);
                buf.compact();
            }
            if (buf.position() == 0) {
                int n = ch.read(buf);
                if (n < 0) {
                    key.cancel();
                    ch.close();
                    return;
                }
                buf.flip();
                ch.write(buf);
                buf.compact();
            }
        }
        key.interestOps(buf.position() > 0 ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }
}
