package io.duplex.bench.observe;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.WebSocketClient;
import io.duplex.nio.WebSocketServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Echo throughput with the event loops' slow-handler check on (100 ms) and off, in alternating runs: 64-byte
 * binary messages, 8 connections with 32 in flight, one loop for the server and one for the client, in this JVM.
 * Run with {@code java -cp benchmarks/target/benchmarks.jar io.duplex.bench.observe.SlowHandlerCheckCost RUNS SECONDS}.
 */
public final class SlowHandlerCheckCost {

  private SlowHandlerCheckCost() {
  }

  public static void main(String[] a) throws Exception {
    int runs = Integer.parseInt(a[0]); int seconds = Integer.parseInt(a[1]);
    for (int r = 0; r < runs; r++) {
      for (boolean on : new boolean[] {r % 2 == 0, r % 2 != 0}) {
        System.out.printf("threshold %s: %,d msgs/s%n", on ? "100ms" : "off  ", run(on, seconds));
      }
    }
  }
  private static long run(boolean on, int seconds) throws Exception {
    EventLoopGroup serverLoops = EventLoopGroup.create(1), clientLoops = EventLoopGroup.create(1);
    serverLoops.slowHandlerThreshold(on ? Duration.ofMillis(100) : Duration.ZERO);
    clientLoops.slowHandlerThreshold(on ? Duration.ofMillis(100) : Duration.ZERO);
    WebSocketServer s = WebSocketServer.builder().host("127.0.0.1").port(0).loops(serverLoops).handler(new WebSocketHandler() {
      @Override public void onBinary(WebSocket ws, ByteBuffer b) { ws.sendBinary(b); }
    }).build().start();
    WebSocketClient c = WebSocketClient.builder().loops(clientLoops).build();
    AtomicLong count = new AtomicLong(); AtomicBoolean stop = new AtomicBoolean();
    byte[] payload = new byte[64];
    List<WebSocket> conns = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      conns.add(c.connect(URI.create("ws://127.0.0.1:" + s.port() + "/"), new WebSocketHandler() {
        @Override public void onOpen(WebSocket ws) { for (int k = 0; k < 32; k++) ws.sendBinary(ByteBuffer.wrap(payload)); }
        @Override public void onBinary(WebSocket ws, ByteBuffer b) { count.incrementAndGet(); if (!stop.get()) ws.sendBinary(ByteBuffer.wrap(payload)); }
      }).get(10, TimeUnit.SECONDS));
    }
    Thread.sleep(1000);
    long c0 = count.get(); long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long n = count.get() - c0; long t = System.nanoTime() - t0;
    stop.set(true);
    s.stop(Duration.ofSeconds(1)); c.close(); serverLoops.close(); clientLoops.close();
    return n * 1_000_000_000L / t;
  }
}
