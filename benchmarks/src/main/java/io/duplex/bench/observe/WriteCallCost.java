package io.duplex.bench.observe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The CPU time of one small write to a loopback socket, as a room fan-out makes one per member: a 66-byte frame
 * (a 64-byte binary message) written as two buffers, header and payload ({@code writev(2)}), against the same
 * frame as one buffer ({@code write(2)}), in alternating 2-second rounds over {@code CONNS} sockets that a
 * second thread drains. The figure is the writing thread's CPU time (user and kernel) per write.
 * Run with {@code java -cp benchmarks/target/benchmarks.jar io.duplex.bench.observe.WriteCallCost [ROUNDS [CONNS]]},
 * the writer pinned apart from other load where possible ({@code taskset}).
 */
public final class WriteCallCost {

    private WriteCallCost() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int conns = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        SocketChannel[] writers = new SocketChannel[conns];
        Selector readers = Selector.open();
        for (int i = 0; i < conns; i++) {
            writers[i] = SocketChannel.open(listener.getLocalAddress());
            writers[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
            SocketChannel reader = listener.accept();
            reader.configureBlocking(false);
            reader.register(readers, SelectionKey.OP_READ);
        }
        Thread drain = new Thread(() -> drain(readers), "drain");
        drain.setDaemon(true);
        drain.start();
        ByteBuffer frame = ByteBuffer.allocateDirect(66);
        frame.put(new byte[66]).flip();
        ByteBuffer header = frame.duplicate().limit(2).slice();
        ByteBuffer payload = frame.duplicate().position(2).slice();
        ByteBuffer[] gather = {header, payload};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            for (boolean whole : new boolean[] {r % 2 == 0, r % 2 != 0}) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long user0 = threads.getCurrentThreadUserTime();
                long writes = 0;
                long end = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < end) {
                    for (SocketChannel w : writers) {
                        if (whole) {
                            w.write(frame.rewind());
                        } else {
                            header.rewind();
                            payload.rewind();
                            w.write(gather, 0, 2);
                        }
                        writes++;
                    }
                }
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1000.0 / writes;
                double user = (threads.getCurrentThreadUserTime() - user0) / 1000.0 / writes;
                System.out.printf("round %d %-22s %.2f us CPU per write (user %.2f)%n", r,
                        whole ? "one buffer, write" : "two buffers, writev", cpu, user);
            }
        }
    }

    private static void drain(Selector readers) {
        ByteBuffer sink = ByteBuffer.allocateDirect(65536);
        try {
            while (true) {
                readers.select(key -> {
                    try {
                        sink.clear();
                        ((SocketChannel) key.channel()).read(sink);
                    } catch (IOException e) {
                        key.cancel();
                    }
                });
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
