package io.duplex.examples.ticker;

import io.duplex.core.HttpHeaders;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.HttpResponse;
import io.duplex.nio.InMemoryRoomEngine;
import io.duplex.nio.PreparedMessage;
import io.duplex.nio.RoomListener;
import io.duplex.nio.RoomMember;
import io.duplex.nio.Rooms;
import io.duplex.nio.WebSocketServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A live dashboard: one publisher thread puts a price tick into the room {@code ticks} {@code --rate} times a
 * second, and every client connected to {@code ws://HOST:PORT/ticks} is a member and gets each tick: the
 * fan-out case, one encoded frame written to every member. The page at {@code http://HOST:PORT/} shows the
 * prices as they move.
 *
 * <p>Each tick is a JSON text frame {@code {"seq":S,"symbol":"ACME","price":101.25,"time":MILLIS}}, S increasing
 * by 1 per tick, the same for every client. A client that connects with {@code ?since=S} first gets the
 * ticks after S that the room still keeps ({@code --history}, default 1,000), and
 * {@code {"gap":{"from":S1,"to":S2}}} for those it no longer keeps. A client that falls more than 256 KiB
 * behind misses ticks and gets the same gap notice before the next tick it does get: a dashboard wants the
 * latest price, never a backlog.
 */
public final class TickerServer implements AutoCloseable {

    /** The room every client joins. */
    static final String ROOM = "ticks";
    private static final long MEMBER_BACKLOG = 256 * 1024;

    private final WebSocketServer server;
    private final Rooms rooms;
    private final ScheduledExecutorService publisher;
    private final String host;

    private TickerServer(WebSocketServer server, Rooms rooms, ScheduledExecutorService publisher, String host) {
        this.server = server;
        this.rooms = rooms;
        this.publisher = publisher;
        this.host = host;
    }

    /**
     * Starts the server and the publisher.
     *
     * @param host the address to bind
     * @param port the port (0: any free one)
     * @param ticksPerSecond how often a tick is published
     * @param history how many ticks the room keeps for clients that resume with {@code since}
     */
    public static TickerServer start(String host, int port, int ticksPerSecond, int history) throws IOException {
        if (ticksPerSecond < 1 || ticksPerSecond > 100_000) {
            throw new IllegalArgumentException("ticks per second must be 1 to 100,000, not " + ticksPerSecond);
        }
        String page = TickMessages.page();
        Member member = new Member();
        WebSocketServer server = WebSocketServer.builder()
                .host(host)
                .port(port)
                .loops(EventLoopGroup.create(Runtime.getRuntime().availableProcessors()))
                .route("/ticks", member)
                .httpHandler(request -> request.path().equals("/")
                        ? HttpResponse.html(page)
                        : HttpResponse.of(404, "Not Found", HttpHeaders.empty(),
                                "not found".getBytes(StandardCharsets.US_ASCII)))
                .build();
        Rooms rooms = Rooms.builder(server)
                .engine(InMemoryRoomEngine.builder().historyCount(history).build())
                .memberBacklog(MEMBER_BACKLOG)
                .listener(new RoomListener() {
                    @Override
                    public void onGap(RoomMember m, long from, long to) {
                        m.socket().sendText(TickMessages.gap(from, to));
                    }
                })
                .build();
        member.rooms = rooms;
        server.start();
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ticker-publisher");
            t.setDaemon(true);
            return t;
        });
        Prices prices = new Prices();
        publisher.scheduleAtFixedRate(() -> {
            Prices.Tick tick = prices.next();
            rooms.publish(ROOM, seq -> PreparedMessage.text(TickMessages.tick(seq, tick)));
        }, 0, TimeUnit.SECONDS.toNanos(1) / ticksPerSecond, TimeUnit.NANOSECONDS);
        return new TickerServer(server, rooms, publisher, host);
    }

    /** Joins each client to the room, resuming after {@code ?since=S} when it asks. */
    private static final class Member implements WebSocketHandler {
        volatile Rooms rooms;

        @Override
        public void onOpen(WebSocket ws) {
            long since;
            try {
                String s = ws.handshakeRequest().queryParameter("since");
                since = s == null ? -1 : Long.parseLong(s);
            } catch (NumberFormatException e) {
                ws.close(1008, "since must be a sequence number");
                return;
            }
            rooms.join(ws, ROOM, null, since,
                    snapshot -> snapshot.hasGap()
                            ? List.of(PreparedMessage.text(TickMessages.gap(snapshot.gapFrom(), snapshot.gapTo())))
                            : List.of());
        }
    }

    /** The dashboard page's URL. */
    public String pageUrl() {
        return "http://" + hostForUrl() + ":" + server.port() + "/";
    }

    /** The ticks' WebSocket URL. */
    public String socketUrl() {
        return "ws://" + hostForUrl() + ":" + server.port() + "/ticks";
    }

    private String hostForUrl() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** How many clients are in the room. */
    public int clients() {
        return rooms.memberCount(ROOM);
    }

    /** Stops publishing, then the server: clients get a 1001 close. */
    @Override
    public void close() {
        publisher.shutdownNow();
        server.stop(Duration.ofSeconds(2));
        server.loops().close();
    }

    /**
     * Runs until the process is stopped (SIGTERM or Ctrl-C stops it cleanly).
     *
     * @param args {@code [--port P] [--host H] [--rate TICKS_PER_SECOND] [--history N]}; defaults 8080,
     *     127.0.0.1, 50, 1000
     */
    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8080;
        int rate = 50;
        int history = 1000;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(v);
                case "--host" -> host = v;
                case "--rate" -> rate = Integer.parseInt(v);
                case "--history" -> history = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (ticker [--port P] [--host H] [--rate TICKS_PER_SECOND] [--history N])");
            }
        }
        TickerServer ticker = start(host, port, rate, history);
        System.out.println("Duplex ticker: open " + ticker.pageUrl() + " (WebSocket " + ticker.socketUrl()
                + ", " + rate + " ticks/s)");
        Runtime.getRuntime().addShutdownHook(new Thread(ticker::close, "ticker-shutdown"));
        ticker.server.awaitTermination();
    }
}
