package io.duplex.core.engine;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.duplex.core.Extension;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.core.HandshakeException;
import io.duplex.core.WebSocketConfig;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the client's validation of the server's response ({@link ClientHandshake}: status line, header
 * block, Upgrade/Connection/Accept checks, subprotocol and permessage-deflate acceptance).
 *
 * <p>An input is {@code [chunk] response bytes...}. Each client draws a random key, so every occurrence of the
 * RFC 6455 §1.3 sample accept value {@value HandshakeBytes#RFC_ACCEPT} in the response is replaced with the
 * value this client's key expects: a corpus entry holding the sample value is a valid answer to any client.
 * The invariants: nothing escapes {@code receive}; the outcome does not depend on how the input was split; a
 * failure is a {@link HandshakeException} whose status is 0 or the status the server answered, never caused by
 * an unchecked exception; an accepted response names only what the client offered.
 */
class ClientHandshakeFuzzTest {

    static final int MAX_INPUT = 2 * 8192 + 1;
    static final long BASE_ALLOCATION = 256 * 1024;
    static final long ALLOCATION_PER_BYTE = 64;
    private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: ([^\r]*)\r\n");
    private static final byte[] SAMPLE_ACCEPT = HandshakeBytes.RFC_ACCEPT.getBytes(ISO_8859_1);

    @FuzzTest(maxDuration = "3m")
    void response(byte[] input) {
        if (input.length < 1 || input.length > MAX_INPUT) {
            return;
        }
        int chunk = input[0] & 0xFF;
        Object[] outcomes = new Object[2];
        long allocated = FuzzRun.allocation(() -> {
            outcomes[0] = handshake(input, chunk);
            outcomes[1] = handshake(input, 0);
        });
        assertEquals(outcomes[1], outcomes[0], "the outcome does not depend on how the response was split");
        FuzzRun.assertAllocationAtMost(allocated, BASE_ALLOCATION + ALLOCATION_PER_BYTE * input.length,
                "two handshakes fed " + input.length + " bytes");
    }

    /** What one client made of the response, comparable between clients with different keys. */
    private record Outcome(ClientHandshake.State state, int status, int left, String subprotocol,
            String extensionsHeader) {
    }

    private static Outcome handshake(byte[] input, int chunk) {
        ClientHandshake h = new ClientHandshake(URI.create("ws://server.example.com/chat"), List.of("chat", "superchat"),
                null, "http://example.com", List.of(PerMessageDeflate.defaults()), WebSocketConfig.defaults());
        byte[] response = withAccept(Arrays.copyOfRange(input, 1, input.length), expectedAccept(h));
        ClientHandshake.State[] decided = {ClientHandshake.State.NEED_MORE};
        int left = FuzzRun.feed(response, chunk, in -> (decided[0] = h.receive(in)) != ClientHandshake.State.NEED_MORE);
        ClientHandshake.State state = decided[0];
        switch (state) {
            case NEED_MORE -> {
                assertTrue(response.length <= WebSocketConfig.defaults().maxHeaderBytes(),
                        "a head over the limit fails, not awaited");
                assertNull(h.failure());
            }
            case OPENED -> {
                assertEquals(101, h.status());
                assertTrue(List.of("", "chat", "superchat").contains(h.subprotocol()), h.subprotocol());
                assertTrue(h.extensions().size() <= 1, "only the one extension offered");
                assertTrue(h.extensionsHeader().isEmpty() == h.extensions().isEmpty());
            }
            case FAILED -> {
                HandshakeException e = h.failure();
                assertNotNull(e);
                assertTrue(e.status() == 0 || e.status() == h.status(), "status 0 or the server's: " + e.status());
                assertTrue(e.status() == 0 || e.status() >= 100 && e.status() <= 999, "a three-digit status");
                assertNull(e.getCause(), "a failure of the response, not of the client: " + e.getCause());
            }
            default -> throw new AssertionError(state);
        }
        for (Extension e : h.extensions()) {
            e.release();
        }
        // After a failure the connection closes, so only an accepted response's left-over bytes (frames) matter.
        return new Outcome(state, h.status(), state == ClientHandshake.State.OPENED ? left : -1, h.subprotocol(),
                h.extensionsHeader());
    }

    /** The accept value RFC 6455 §4.2.2 derives from this client's key, computed here independently. */
    private static byte[] expectedAccept(ClientHandshake h) {
        ByteBuffer request = h.request();
        byte[] bytes = new byte[request.remaining()];
        request.get(bytes);
        Matcher m = KEY.matcher(new String(bytes, ISO_8859_1));
        assertTrue(m.find(), "the request carries a key");
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((m.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(ISO_8859_1));
            return Base64.getEncoder().encode(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code response} with each occurrence of the sample accept value replaced by {@code accept} (same length). */
    private static byte[] withAccept(byte[] response, byte[] accept) {
        byte[] out = response.clone();
        for (int i = 0; i + SAMPLE_ACCEPT.length <= out.length; i++) {
            if (Arrays.equals(out, i, i + SAMPLE_ACCEPT.length, SAMPLE_ACCEPT, 0, SAMPLE_ACCEPT.length)) {
                System.arraycopy(accept, 0, out, i, accept.length);
                i += accept.length - 1;
            }
        }
        return out;
    }
}
