package io.duplex.core;

import static io.duplex.core.engine.HandshakeBytes.heap;
import static io.duplex.core.engine.HandshakeBytes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.HandshakePolicy;
import io.duplex.core.UpgradeDecision;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.ServerHandshake;
import io.duplex.core.engine.ServerHandshake.State;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Handshakes on one thread borrow their header-block arrays from one pool in turn: each request a server keeps
 * (RFC 6455 §4.2.1, without its key) and each accept value (§4.2.2 item 5.4) must come out as if each had its
 * own, and every borrowed array goes back.
 */
class ServerHandshakeBlockReuseTest {

    private static final WebSocketHandler HANDLER = new WebSocketHandler() { };

    private static String request(String target, String key, String extra) {
        return "GET " + target + " HTTP/1.1\r\nHost: h" + target.length() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n" + extra
                + "Sec-WebSocket-Version: 13\r\n\r\n";
    }

    private static String key(int i) {
        byte[] nonce = new byte[16];
        nonce[0] = (byte) i;
        nonce[15] = (byte) (31 * i);
        return Base64.getEncoder().encodeToString(nonce);
    }

    private static String oracleAccept(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(digest);
    }

    private final PooledBuffers pool = new PooledBuffers();

    @Test
    void successiveHandshakesKeepTheirOwnRequestsAndAnswerTheirOwnKeys() throws Exception {
        List<ServerHandshake> done = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // Long and short blocks in turn, so the spare is both larger and smaller than the next block.
            String extra = i % 2 == 0 ? "X-Pad: " + "p".repeat(40 * i) + "\r\n" : "";
            ServerHandshake s = new ServerHandshake(WebSocketConfig.defaults(),
                    HandshakePolicy.builder().handler(HANDLER).build(), pool);
            assertEquals(State.ACCEPTED, s.receive(heap(request("/r" + i, key(i), extra))));
            done.add(s);
        }
        for (int i = 0; i < done.size(); i++) {
            ServerHandshake s = done.get(i);
            assertEquals("/r" + i, s.request().target());
            assertEquals("h" + ("/r" + i).length(), s.request().host());
            assertEquals(i % 2 == 0 ? "p".repeat(40 * i) : null, s.request().headers().first("X-Pad"));
            assertEquals(null, s.request().headers().first("Sec-WebSocket-Key"));
            assertTrue(text(s.response()).contains("\r\nSec-WebSocket-Accept: " + oracleAccept(key(i)) + "\r\n"));
        }
        assertEquals(PooledBuffers.CHUNK, pool.retainedBytes(), "one block array, borrowed and given back in turn");
    }

    /** A decider that runs a handshake of its own on the same thread cannot disturb the one deciding. */
    @Test
    void aHandshakeNestedInTheDeciderDoesNotShareTheBlock() throws Exception {
        AtomicReference<ServerHandshake> inner = new AtomicReference<>();
        HandshakePolicy nesting = HandshakePolicy.builder().decider(req -> {
            ServerHandshake s = new ServerHandshake(WebSocketConfig.defaults(),
                    HandshakePolicy.builder().handler(HANDLER).build(), pool);
            s.receive(heap(request("/inner/path", key(2), "X-Inner: yes\r\n")));
            inner.set(s);
            return UpgradeDecision.accept(HANDLER);
        }).build();
        ServerHandshake outer = new ServerHandshake(WebSocketConfig.defaults(), nesting, pool);

        assertEquals(State.ACCEPTED, outer.receive(heap(request("/outer", key(1), ""))));

        assertTrue(text(outer.response()).contains("\r\nSec-WebSocket-Accept: " + oracleAccept(key(1)) + "\r\n"));
        assertEquals("/outer", outer.request().target());
        assertEquals(State.ACCEPTED, inner.get().receive(heap("")));
        assertTrue(text(inner.get().response()).contains("\r\nSec-WebSocket-Accept: " + oracleAccept(key(2)) + "\r\n"));
        assertEquals("yes", inner.get().request().headers().first("X-Inner"));
        assertEquals(2L * PooledBuffers.CHUNK, pool.retainedBytes(), "both arrays given back");
    }

    /** A block that arrives in pieces (no array borrowed) decides the same way as one that arrives whole. */
    @Test
    void splitBlocksAndWholeBlocksAlternate() throws Exception {
        for (int i = 0; i < 6; i++) {
            ServerHandshake s = new ServerHandshake(WebSocketConfig.defaults(),
                    HandshakePolicy.builder().handler(HANDLER).build(), pool);
            byte[] req = request("/s" + i, key(i), "").getBytes(StandardCharsets.US_ASCII);
            if (i % 2 == 0) {
                int cut = 10 + i;
                assertEquals(State.NEED_MORE, s.receive(java.nio.ByteBuffer.wrap(req, 0, cut)));
                assertEquals(State.ACCEPTED, s.receive(java.nio.ByteBuffer.wrap(req, cut, req.length - cut)));
            } else {
                assertEquals(State.ACCEPTED, s.receive(java.nio.ByteBuffer.wrap(req)));
            }
            assertEquals("/s" + i, s.request().target());
            assertTrue(text(s.response()).contains("\r\nSec-WebSocket-Accept: " + oracleAccept(key(i)) + "\r\n"));
        }
    }
}
