package io.duplex.bench.jmh;

import io.duplex.core.BufferProvider;
import io.duplex.core.HandshakePolicy;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.ServerHandshake;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/** A browser-like opening handshake (RFC 6455 §4.2.1) parsed, validated and answered with its 101. */
public class HandshakeBenchmark extends ThroughputBenchmark {

    private static final String REQUEST = "GET /chat?room=42 HTTP/1.1\r\n"
            + "Host: example.com:8080\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: */*\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Origin: https://example.com\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Connection: keep-alive, Upgrade\r\n"
            + "Cookie: session=0123456789abcdef0123456789abcdef\r\n"
            + "Pragma: no-cache\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Upgrade: websocket\r\n"
            + "\r\n";

    private byte[] request;
    private HandshakePolicy policy;
    private final WebSocketConfig config = WebSocketConfig.defaults();
    /** The pool an event loop lends its handshakes: the header block's array is borrowed and given back. */
    private final BufferProvider buffers = BufferProvider.pooled();

    @Setup
    public void setUp() {
        request = REQUEST.getBytes(StandardCharsets.US_ASCII);
        policy = HandshakePolicy.builder().handler(new WebSocketHandler() { }).build();
        ServerHandshake check = new ServerHandshake(config, policy);
        if (check.receive(ByteBuffer.wrap(request)) != ServerHandshake.State.ACCEPTED) {
            throw new IllegalStateException("the sample request is not accepted: " + check.failure());
        }
    }

    @Benchmark
    public ByteBuffer parseAndRespond() {
        ServerHandshake handshake = new ServerHandshake(config, policy, buffers);
        handshake.receive(ByteBuffer.wrap(request));
        return handshake.response();
    }
}
