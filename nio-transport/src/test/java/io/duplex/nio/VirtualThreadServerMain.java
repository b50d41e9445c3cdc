package io.duplex.nio;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server of {@link VirtualThreadHandlersTest}, in its own JVM so that its memory and threads are its
 * own and each process needs only one descriptor per connection. Its handlers run on virtual threads: each
 * message's callback sleeps 100 ms and echoes it. The first message of each connection also waits at a gate
 * until every one of {@code connections} handlers is blocked at once; then it prints
 * {@code PEAK heapUsedAfterGc baselineHeap platformThreads peakPlatformThreads} and opens the gate. At end of
 * input it prints {@code STATS outOfOrder overlapping} and exits. Needs JDK 21+.
 */
public final class VirtualThreadServerMain {

    private VirtualThreadServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int connections = Integer.parseInt(args[0]);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicInteger blocked = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger overlapping = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                socket.attach(new int[2]); // next expected message, callbacks in progress
            }

            @Override
            public void onText(WebSocket socket, String text) {
                int[] state = socket.attachment();
                if (++state[1] != 1) {
                    overlapping.incrementAndGet();
                }
                int expected = state[0]++;
                if (Integer.parseInt(text) != expected) {
                    outOfOrder.incrementAndGet();
                }
                try {
                    if (expected == 0) {
                        blocked.incrementAndGet();
                        gate.await(120, TimeUnit.SECONDS);
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                state[1]--;
                socket.sendText(text);
            }
        };
        try (EventLoopGroup group = EventLoopGroup.create(2);
                WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(group)
                        .backlog(4096).maxPendingHandshakes(connections).maxPendingHandshakesPerAddress(connections)
                        .handlerExecutor(virtual).handler(handler).build().start()) {
            System.gc();
            System.gc();
            long baseline = memory.getHeapMemoryUsage().getUsed();
            System.out.println("PORT " + server.port());
            System.out.flush();
            Thread monitor = new Thread(() -> {
                try {
                    while (blocked.get() < connections) {
                        Thread.sleep(20);
                    }
                    System.gc();
                    System.gc();
                    System.out.println("PEAK " + memory.getHeapMemoryUsage().getUsed() + " " + baseline + " "
                            + threads.getThreadCount() + " " + threads.getPeakThreadCount());
                    System.out.flush();
                } catch (InterruptedException e) {
                    return;
                } finally {
                    gate.countDown();
                }
            }, "monitor");
            monitor.setDaemon(true);
            monitor.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // the test ends input when it is done
            }
            System.out.println("STATS " + outOfOrder.get() + " " + overlapping.get());
            System.out.flush();
        }
        virtual.shutdownNow();
    }
}
