package io.duplex.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketException;
import java.util.Set;

/**
 * Fuzzes the frame decoder through a whole {@link Session} (decoder, message assembly, UTF-8, control frames,
 * the close handshake), in both roles, with input split at arbitrary points.
 *
 * <p>An input is {@code [options] [chunk] bytes...}: {@code options} bits 0–1 pick the limits (see
 * {@link #config}), bit 2 streaming delivery; {@code chunk} is how many bytes each {@link Session#receive}
 * gets (0: all at once); the rest is what the peer sent. The invariants: nothing escapes {@code receive}; the
 * only failures are {@link WebSocketException}s with a protocol close code, each answered by a Close with that
 * code; no message handed out is over the limit; the session writes at most a few bytes per byte received;
 * and the memory it allocates follows the bytes received, never a length a frame header declares.
 */
class SessionFuzzTest {

    /** Inputs beyond this are skipped: enough for the 64 KiB example of RFC 6455 §5.7, small enough to stay fast. */
    static final int MAX_INPUT = 70_000;
    /** Allocation allowed per input whatever it holds: the session's fixed state, exception stack traces. */
    static final long BASE_ALLOCATION = 256 * 1024;
    /**
     * Allocation allowed per byte received: copying into an assembly buffer that doubles, the text decoded to a
     * String.
     */
    static final long ALLOCATION_PER_BYTE = 24;
    /** The close codes a session fails a connection with for what a peer sent (RFC 6455 §7.4.1). */
    static final Set<Integer> PROTOCOL_CODES = Set.of(CloseStatus.PROTOCOL_ERROR, CloseStatus.INVALID_PAYLOAD_DATA,
            CloseStatus.POLICY_VIOLATION, CloseStatus.MESSAGE_TOO_BIG);

    @FuzzTest(maxDuration = "3m")
    void serverSession(byte[] input) {
        run(input, false);
    }

    @FuzzTest(maxDuration = "3m")
    void clientSession(byte[] input) {
        run(input, true);
    }

    /**
     * The limits an input runs under: the defaults (16 MiB frames), large limits of 1 MiB that a few bytes
     * must not be able to make the session allocate, the smallest frame and message limits, and a mixed set.
     */
    static WebSocketConfig config(int options) {
        WebSocketConfig.Builder b = WebSocketConfig.builder().streaming((options & 4) != 0);
        switch (options & 3) {
            case 1 -> b.maxFrameSize(1 << 20).maxMessageSize(1 << 20);
            case 2 -> b.maxFrameSize(125).maxMessageSize(1000).maxFragmentsPerMessage(16);
            case 3 -> b.maxFrameSize(64 * 1024).maxMessageSize(256 * 1024);
            default -> { }
        }
        return b.build();
    }

    private static void run(byte[] input, boolean client) {
        if (input.length < 2 || input.length > MAX_INPUT) {
            return;
        }
        WebSocketConfig config = config(input[0]);
        int chunk = input[1] & 0xFF;
        byte[] wire = java.util.Arrays.copyOfRange(input, 2, input.length);
        FuzzPeer[] peers = new FuzzPeer[1];
        long allocated = FuzzRun.allocation(() -> {
            FuzzPeer peer = new FuzzPeer(config.maxMessageSize());
            peers[0] = peer;
            Session session = (client ? Session.client() : Session.server()).config(config).handler(peer).outbound(peer)
                    .build();
            session.open();
            feed(session, wire, chunk);
            session.transportClosed(null);
        });
        checkOutcome(peers[0], wire.length);
        FuzzRun.assertAllocationAtMost(allocated, BASE_ALLOCATION + ALLOCATION_PER_BYTE * wire.length,
                "a session fed " + wire.length + " bytes");
    }

    /** Feeds {@code wire} in pieces of {@code chunk} bytes (all at once for 0), each piece a fresh buffer. */
    static void feed(Session session, byte[] wire, int chunk) {
        FuzzRun.feed(wire, chunk, in -> {
            session.receive(in);
            return false;
        });
    }

    /**
     * The outcome every input must have: reported closed once; a failure only as a protocol error answered by a
     * Close with its code; and output proportional to input.
     */
    static void checkOutcome(FuzzPeer peer, int received) {
        assertEquals(1, peer.closeReports, "onClose exactly once");
        assertTrue(peer.errors.size() <= 1, "one failure at most: " + peer.errors);
        for (Throwable e : peer.errors) {
            WebSocketException w = assertInstanceOf(WebSocketException.class, e, "only protocol errors are reported");
            assertTrue(PROTOCOL_CODES.contains(w.closeCode()), "a protocol close code: " + w.closeCode());
            assertEquals(w.closeCode(), peer.closeStatus.code(), "the connection failed with the error's code");
            // Nothing here starts a close, so no Close went out before the failure: its Close is the last frame.
            assertEquals(w.closeCode(), peer.lastCloseCode(), "the failure is answered by a Close with its code");
        }
        // A pong echoes its ping (a client adds a 4-byte mask to a 2-byte frame), plus one Close.
        assertTrue(peer.writtenBytes <= 3L * received + 256,
                "wrote " + peer.writtenBytes + " bytes for " + received + " received");
    }
}
