package io.duplex.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.duplex.core.Extension;
import io.duplex.core.HandshakePolicy;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes the server's request parser and validator ({@link ServerHandshake} over the header-block reader,
 * the HTTP head parser and extension negotiation with permessage-deflate).
 *
 * <p>An input is {@code [chunk] request bytes...}: the request is fed {@code chunk} bytes at a time (0: all at
 * once) and, for comparison, all at once to a second handshake. The invariants: nothing escapes
 * {@code receive}; the outcome does not depend on how the input was split (nor, once the head is accepted or
 * is plain HTTP, what is left after it); a rejection has one of the statuses
 * the handshake defines for what a client sent, never 500 (which would mean a negotiation threw); exactly the
 * header block is consumed; and memory follows the bytes received.
 */
class ServerHandshakeFuzzTest {

    /** Twice the default header-block limit: longer inputs only repeat the 431 path. */
    static final int MAX_INPUT = 2 * 8192 + 1;
    static final long BASE_ALLOCATION = 256 * 1024;
    static final long ALLOCATION_PER_BYTE = 64;
    /** What a client's request can earn (see {@link ServerHandshake}); 500 is the server's own failure. */
    static final Set<Integer> CLIENT_ERRORS = Set.of(400, 403, 405, 426, 431, 505);

    private static final HandshakePolicy POLICY = HandshakePolicy.builder()
            .handler(new WebSocketHandler() { })
            .subprotocols(List.of("chat", "superchat"))
            .originPolicy(origin -> origin == null || !origin.contains("evil"))
            .extensions(List.of(PerMessageDeflate.defaults()))
            .build();

    @FuzzTest(maxDuration = "3m")
    void request(byte[] input) {
        if (input.length < 1 || input.length > MAX_INPUT) {
            return;
        }
        int chunk = input[0] & 0xFF;
        byte[] request = Arrays.copyOfRange(input, 1, input.length);
        Outcome[] outcomes = new Outcome[2];
        long allocated = FuzzRun.allocation(() -> {
            outcomes[0] = handshake(request, chunk);
            outcomes[1] = handshake(request, 0);
        });
        Outcome split = outcomes[0];
        Outcome whole = outcomes[1];
        assertEquals(whole.state, split.state, "the outcome does not depend on how the request was split");
        assertEquals(whole.status, split.status);
        if (whole.state == ServerHandshake.State.ACCEPTED || whole.state == ServerHandshake.State.NOT_UPGRADE) {
            // What follows the head is the embedder's (frames, or the next request); after a rejection the
            // connection closes, so how much of a malformed head was read does not matter.
            assertEquals(whole.left, split.left, "the same bytes are left after the header block");
        }
        assertArrayEquals(whole.response, split.response);
        switch (whole.state) {
            case NEED_MORE -> {
                assertEquals(0, whole.left, "an incomplete head is consumed whole");
                assertTrue(request.length <= WebSocketConfig.defaults().maxHeaderBytes(),
                        "a head over the limit is rejected, not awaited");
                assertNull(whole.response);
            }
            case ACCEPTED -> {
                assertEquals(101, whole.status);
                assertTrue(new String(whole.response, 0, 12, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .equals("HTTP/1.1 101"), "a 101 response");
            }
            case REJECTED -> {
                assertTrue(CLIENT_ERRORS.contains(whole.status), "a defined client-error status: " + whole.status
                        + " (" + whole.failure + ")");
                assertNotNull(whole.response);
            }
            case NOT_UPGRADE -> assertNull(whole.response);
            default -> throw new AssertionError(whole.state);
        }
        FuzzRun.assertAllocationAtMost(allocated, BASE_ALLOCATION + ALLOCATION_PER_BYTE * request.length,
                "two handshakes fed " + request.length + " bytes");
    }

    /** What one handshake made of the request. */
    private record Outcome(ServerHandshake.State state, int status, int left, byte[] response, String failure) {
    }

    private static Outcome handshake(byte[] request, int chunk) {
        ServerHandshake h = new ServerHandshake(WebSocketConfig.defaults(), POLICY);
        ServerHandshake.State[] state = {ServerHandshake.State.NEED_MORE};
        int left = FuzzRun.feed(request, chunk, in -> (state[0] = h.receive(in)) != ServerHandshake.State.NEED_MORE);
        for (Extension e : h.extensions()) {
            e.release();
        }
        ByteBuffer response = h.response();
        byte[] bytes = null;
        if (response != null) {
            bytes = new byte[response.remaining()];
            response.get(bytes);
        }
        return new Outcome(state[0], h.status(), left, bytes, String.valueOf(h.failure()));
    }
}
