package io.duplex.bench.jmh;

import io.duplex.core.BufferProvider;
import io.duplex.core.Transport;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.Session;
import io.duplex.core.internal.frame.FrameEncoder;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole core path of an echo server for one message, without a socket: a server {@link Session}
 * receives one masked frame (decode, unmask, UTF-8 check for text, message assembly), the handler sends the
 * message back (encode into chunks borrowed from a pool, as an event loop lends its sessions) and the
 * {@link Transport} takes the bytes.
 *
 * <p>Run it with {@code -prof gc}: {@code gc.alloc.rate.norm} is the heap allocated per echoed message,
 * the figure behind "no allocation per frame in steady state". {@link #echo()} sends back with
 * {@code sendText}/{@code sendBinary}, whose future is most of that figure; {@link #offerEcho()} with the
 * offers, which create none.
 */
public class SessionEchoBenchmark extends ThroughputBenchmark {

    /** Every key byte is below 0x20, so ASCII letters stay ASCII masked or not (see {@link #echo()}). */
    private static final int KEY = 0x0a1b0c1d;

    @Param({"64", "4096"})
    public int size;

    @Param({"binary", "text"})
    public String kind;

    private ByteBuffer wire;
    private int frameLength;
    private Session session;
    /** Echoes with {@link WebSocket#offerBinary}/{@link WebSocket#offerText}: no future per message. */
    private Session offeringSession;

    @Setup
    public void setUp(Blackhole blackhole) {
        boolean text = kind.equals("text");
        ByteBuffer payload = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            payload.put(i, (byte) ('a' + i % 26));
        }
        wire = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH + size);
        FrameEncoder.encodeHeader(wire, true, 0, text ? 1 : 2, size, true, KEY);
        // Masking is its own inverse: mask a copy so the payload on the wire is what a client sends.
        int start = wire.position();
        wire.put(payload);
        for (int i = 0; i < size; i++) {
            wire.put(start + i, (byte) (wire.get(start + i) ^ (KEY >>> (24 - 8 * (i & 3)))));
        }
        wire.flip();
        frameLength = wire.limit();
        BufferProvider buffers = BufferProvider.pooled();
        session = echoSession(blackhole, false, buffers);
        offeringSession = echoSession(blackhole, true, buffers);
    }

    /** A server session whose handler echoes each message with a send, or with an offer when {@code offer}. */
    private static Session echoSession(Blackhole blackhole, boolean offer, BufferProvider buffers) {
        Session s = Session.server()
                .buffers(buffers)
                .handler(new WebSocketHandler() {
                    @Override
                    public void onText(WebSocket socket, String message) {
                        if (offer) {
                            socket.offerText(message);
                        } else {
                            socket.sendText(message);
                        }
                    }

                    @Override
                    public void onBinary(WebSocket socket, ByteBuffer data) {
                        if (offer) {
                            socket.offerBinary(data);
                        } else {
                            socket.sendBinary(data);
                        }
                    }
                })
                .outbound(new Transport() {
                    @Override
                    public void write(ByteBuffer header, ByteBuffer body, CompletableFuture<Void> done) {
                        blackhole.consume(header.remaining() + body.remaining());
                        header.position(header.limit());
                        body.position(body.limit());
                        if (done != null) {
                            done.complete(null);
                        }
                    }

                    @Override
                    public void closeTransport() {
                        throw new IllegalStateException("the benchmark's session closed");
                    }
                })
                .build();
        s.open();
        return s;
    }

    /**
     * The session unmasks in place, so each call sees the payload flipped by the previous one; the work is
     * the same, and text stays valid (ASCII) either way.
     */
    @Benchmark
    public void echo() {
        wire.limit(frameLength).position(0);
        session.receive(wire);
    }

    /** As {@link #echo()}, with the handler echoing by offer rather than send: the same work, minus the future. */
    @Benchmark
    public void offerEcho() {
        wire.limit(frameLength).position(0);
        offeringSession.receive(wire);
    }
}
