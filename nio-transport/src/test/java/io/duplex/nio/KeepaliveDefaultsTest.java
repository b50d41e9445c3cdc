package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The keepalive defaults docs/guide.md promises: a server pings a silent peer after 30 s and gives it 20 s to
 * answer, so a vanished peer is found; a client does not ping unless asked. The behaviour itself is tested
 * with short intervals in {@link TimeoutTest} and {@link HalfOpenPeerTest}.
 */
class KeepaliveDefaultsTest {

    @Test
    void aServerPingsByDefault() {
        ConnectionSettings s = WebSocketServer.builder().handler(new Recorder()).settings();
        assertEquals(30_000, s.pingIntervalMillis);
        assertEquals(20_000, s.pongTimeoutMillis);
    }

    @Test
    void aClientDoesNotPingByDefault() {
        ConnectionSettings s = WebSocketClient.builder().settings();
        assertEquals(0, s.pingIntervalMillis);
        assertEquals(20_000, s.pongTimeoutMillis);
    }

    @Test
    void aServerKeepaliveCanBeTurnedOff() {
        assertEquals(0, WebSocketServer.builder().handler(new Recorder()).pingInterval(Duration.ZERO).settings()
                .pingIntervalMillis);
    }
}
