package io.duplex.nio;

import io.duplex.core.deflate.PerMessageDeflate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An echo server as the README builds it (with permessage-deflate offered), run by {@link SmallHeapServerTest}
 * in its own JVM with a small heap. Prints {@code PORT p}; then answers each {@code stats} line on stdin with
 * {@code STATS heapUsed directUsed connections internalErrors}, measured once its loops have handled every
 * byte that arrived before the request; exits at end of input.
 */
public final class SmallHeapServerMain {

    private SmallHeapServerMain() {
    }

    public static void main(String[] args) throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(2);
                WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(group)
                        .handler(RoundTripTest.ECHO)
                        .extensions(List.of(PerMessageDeflate.builder().build())).build().start()) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.equals("stats")) {
                    continue;
                }
                for (int round = 0; round < 2; round++) {
                    CountDownLatch done = new CountDownLatch(group.size());
                    for (int i = 0; i < group.size(); i++) {
                        group.loop(i).execute(done::countDown);
                    }
                    done.await(20, TimeUnit.SECONDS);
                }
                long heap = Long.MAX_VALUE;
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                }
                System.out.println("STATS " + heap + " " + direct.getMemoryUsed() + " " + server.connectionCount()
                        + " " + server.internalErrorCount());
                System.out.flush();
            }
        }
    }
}
