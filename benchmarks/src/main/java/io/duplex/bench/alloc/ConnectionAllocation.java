package io.duplex.bench.alloc;

import io.duplex.core.WebSocketHandler;
import io.duplex.nio.WebSocketServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Bytes the server's event-loop thread allocates per accepted connection, and heap retained per idle
 * connection: a one-loop server on loopback, rounds of plain-socket clients that each upgrade and stay open.
 * Run with {@code java -cp ... io.duplex.bench.alloc.ConnectionAllocation [perRound] [rounds]} (defaults 2000
 * and 3); keep {@code perRound * (rounds + 1)}, the warm-up round included, under half the open-file limit, as
 * client and server share this process.
 */
public final class ConnectionAllocation {

    private ConnectionAllocation() {
    }

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Socket> open = new ArrayList<>();
        try (WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .handler(new WebSocketHandler() { }).build().start()) {
            long loop = loopThreadId();
            byte[] response = new byte[512];
            Random random = new Random(1);
            // Warm-up round (class loading, JIT), not reported.
            connect(server.port(), perRound, open, random, response);
            long[] allocated = new long[rounds];
            long[] retained = new long[rounds];
            settle(server, open.size());
            long heapStart = usedAfterGc();
            for (int r = 0; r < rounds; r++) {
                settle(server, open.size());
                long heap0 = usedAfterGc();
                long a0 = mx.getThreadAllocatedBytes(loop);
                connect(server.port(), perRound, open, random, response);
                settle(server, open.size());
                long a1 = mx.getThreadAllocatedBytes(loop);
                long heap1 = usedAfterGc();
                allocated[r] = (a1 - a0) / perRound;
                retained[r] = (heap1 - heap0) / perRound;
                System.out.printf("round %d: %d connections, loop allocated %d B/conn, retained %d B/conn%n",
                        r, open.size(), allocated[r], retained[r]);
            }
            long overall = (usedAfterGc() - heapStart) / ((long) rounds * perRound);
            Arrays.sort(allocated);
            Arrays.sort(retained);
            // Retained counts the clients' sockets too (same process): compare it between builds, not absolutely.
            System.out.printf("median: allocated %d B/conn, retained %d B/conn (over all rounds %d B/conn)%n",
                    allocated[rounds / 2], retained[rounds / 2], overall);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private static void connect(int port, int n, List<Socket> open, Random random, byte[] response)
            throws IOException {
        byte[] nonce = new byte[16];
        for (int i = 0; i < n; i++) {
            random.nextBytes(nonce);
            String request = "GET /chat HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            open.add(s);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            readHead(s.getInputStream(), response);
        }
    }

    /** Reads up to the empty line ending the response head; fails on anything but a 101. */
    private static void readHead(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        while (n < 4 || buf[n - 4] != '\r' || buf[n - 3] != '\n' || buf[n - 2] != '\r' || buf[n - 1] != '\n') {
            int b = in.read();
            if (b < 0 || n == buf.length) {
                throw new IOException("no complete response head");
            }
            buf[n++] = (byte) b;
        }
        if (!new String(buf, 0, 12, StandardCharsets.US_ASCII).equals("HTTP/1.1 101")) {
            throw new IOException("not a 101: " + new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
    }

    /** Waits until the server counts every connection and its loop has had time to go idle. */
    private static void settle(WebSocketServer server, int expected) throws InterruptedException {
        while (server.connectionCount() < expected) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long loopThreadId() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().matches("duplex-\\d+-loop-\\d+")) {
                return t.getId();
            }
        }
        throw new IllegalStateException("no duplex loop thread");
    }
}
