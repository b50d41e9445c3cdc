package io.duplex.core.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.duplex.core.HandshakeException;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.core.internal.extension.deflate.PerMessageDeflateExtension;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes permessage-deflate's receiving side (RFC 7692 §7.2.2) through a server {@link Session}: arbitrary
 * bytes as the compressed payload of one or two messages, each in one or two frames, under a small message
 * limit, so a deflate bomb meets the limit within a few kilobytes.
 *
 * <p>An input is {@code [options] [cut] [split] payload...}. {@code options}: bits 0–1 pick the message limit
 * ({@link #LIMITS}), bit 2 streaming delivery, bit 3 text rather than binary, bit 4 the client's
 * no_context_takeover, bit 5 two messages (the payload cut at {@code cut} per cent, so the second can refer to
 * the first's window as in RFC 7692 §7.2.3.2), bit 6 each message in two frames (cut at {@code split} per cent).
 * The invariants are {@link SessionFuzzTest}'s, with the inflated output allowed to cost a few times the
 * message limit: it is bounded by the limit, however much the payload would inflate to.
 */
class InflaterFuzzTest {

    static final int MAX_INPUT = 1 << 16;
    static final long[] LIMITS = {125, 1000, 4096, 64 * 1024};
    /** The assembly buffer grows by doubling up to the limit, and text is decoded once more. */
    static final long ALLOCATION_PER_LIMIT_BYTE = 6;

    @FuzzTest(maxDuration = "3m")
    void compressedMessages(byte[] input) throws HandshakeException {
        if (input.length < 3 || input.length > MAX_INPUT) {
            return;
        }
        int options = input[0];
        long limit = LIMITS[options & 3];
        byte[] payload = Arrays.copyOfRange(input, 3, input.length);
        WebSocketConfig config = WebSocketConfig.builder().maxMessageSize(limit).streaming((options & 4) != 0).build();
        int opcode = (options & 8) != 0 ? 1 : 2;
        PerMessageDeflate client = PerMessageDeflate.builder().clientNoContextTakeover((options & 16) != 0).build();
        byte[] wire;
        if ((options & 32) != 0) {
            int cut = payload.length * Math.min(100, input[1] & 0xFF) / 100;
            wire = concat(message(opcode, Arrays.copyOfRange(payload, 0, cut), options, input[2]),
                    message(opcode, Arrays.copyOfRange(payload, cut, payload.length), options, input[2]));
        } else {
            wire = message(opcode, payload, options, input[2]);
        }
        FuzzPeer[] peers = new FuzzPeer[1];
        long allocated = FuzzRun.allocation(() -> {
            FuzzPeer peer = new FuzzPeer(limit);
            peers[0] = peer;
            PerMessageDeflateExtension extension = (PerMessageDeflateExtension) PerMessageDeflate.defaults()
                    .accept(client.offers());
            Session server = Session.server().config(config).extensions(List.of(extension)).handler(peer)
                    .outbound(peer).build();
            server.open();
            SessionFuzzTest.feed(server, wire, 0);
            server.transportClosed(null);
            assertTrue(!extension.holdsReceiveCodec(), "the inflater is released with the connection");
        });
        SessionFuzzTest.checkOutcome(peers[0], wire.length);
        FuzzRun.assertAllocationAtMost(allocated, SessionFuzzTest.BASE_ALLOCATION
                + SessionFuzzTest.ALLOCATION_PER_BYTE * wire.length + ALLOCATION_PER_LIMIT_BYTE * limit,
                "a deflate session fed " + wire.length + " bytes under a " + limit + "-byte limit");
    }

    /** A compressed message (RSV1 on its first frame), masked as a client sends it, in one or two frames. */
    private static byte[] message(int opcode, byte[] payload, int options, byte split) {
        if ((options & 64) == 0) {
            return WireFrames.frame(true, 4, opcode, payload, true);
        }
        int cut = payload.length * Math.min(100, split & 0xFF) / 100;
        return concat(WireFrames.frame(false, 4, opcode, Arrays.copyOfRange(payload, 0, cut), true),
                WireFrames.frame(true, 0, 0, Arrays.copyOfRange(payload, cut, payload.length), true));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
