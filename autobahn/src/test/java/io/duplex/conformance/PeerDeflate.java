package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The raw peer's side of permessage-deflate (RFC 7692), built on the JDK's zlib and independent of the codecs
 * under test: it compresses what it sends (§7.2.1: a raw DEFLATE stream ending in a sync flush, whose
 * {@code 00 00 FF FF} tail it strips) and marks the first frame RSV1 (§6); it reads the testee's messages,
 * checks RSV1 is on the first frame only (§6.1), inflates them with the tail re-appended (§7.2.2), and
 * decodes them a second time with {@link DeflateHistory} to measure the back-references.
 */
final class PeerDeflate implements AutoCloseable {

    static final int RSV1 = 4;
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /**
     * A message the testee sent.
     *
     * @param data its payload, inflated when it was compressed
     * @param compressed whether its first frame had RSV1
     * @param frames how many frames carried it
     * @param wire the payload bytes on the wire
     * @param decoded the independent decoding's measurements, or null when not compressed
     */
    record Received(byte[] data, boolean compressed, int frames, int wire, DeflateHistory.Message decoded) {
    }

    private final RawPeer peer;
    private final Deflater deflater;
    private final boolean sendNoContextTakeover;
    private final boolean receiveNoContextTakeover;
    private Inflater inflater = new Inflater(true);
    private DeflateHistory history = new DeflateHistory();

    /**
     * @param sendWindowBits the window agreed for what the peer sends: below 15 the peer emits no back-reference
     *     at all (Huffman coding only), the one way the JDK's fixed 32 KiB window can keep to a smaller one
     * @param sendNoContextTakeover whether each message the peer sends starts with an empty history
     * @param receiveNoContextTakeover whether the testee agreed to compress each message on its own: then each
     *     message is inflated by a fresh {@link Inflater}, which fails on a reference to an earlier message
     */
    PeerDeflate(RawPeer peer, int sendWindowBits, boolean sendNoContextTakeover, boolean receiveNoContextTakeover) {
        this.peer = peer;
        this.deflater = new Deflater(6, true);
        if (sendWindowBits < 15) {
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
        }
        this.sendNoContextTakeover = sendNoContextTakeover;
        this.receiveNoContextTakeover = receiveNoContextTakeover;
    }

    /** Default parameters both ways: 15-bit windows, context takeover. */
    PeerDeflate(RawPeer peer) {
        this(peer, 15, false, false);
    }

    /** One message compressed as §7.2.1 says, tail removed. */
    byte[] compress(byte[] message) {
        if (sendNoContextTakeover) {
            deflater.reset();
        }
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
        byte[] buf = new byte[64 << 10];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length || !deflater.needsInput()); // a strategy change may take a call of its own
        byte[] all = out.toByteArray();
        assertArrayEquals(TAIL, Arrays.copyOfRange(all, all.length - 4, all.length), "zlib's sync-flush tail");
        return Arrays.copyOf(all, all.length - 4);
    }

    /** {@code message} compressed on its own, outside any connection's context. */
    static byte[] compressAlone(byte[] message) {
        try (PeerDeflate alone = new PeerDeflate(null)) {
            return alone.compress(message);
        }
    }

    /** The frames of one compressed message: RSV1 on the first only, {@code fragment} payload bytes each (0: one frame). */
    byte[] frames(int opcode, byte[] message, int fragment) {
        byte[] payload = compress(message);
        if (fragment <= 0 || payload.length <= fragment) {
            return peer.frame(true, RSV1, opcode, payload);
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int from = 0; from < payload.length; from += fragment) {
            int to = Math.min(payload.length, from + fragment);
            frames.writeBytes(peer.frame(to == payload.length, from == 0 ? RSV1 : 0,
                    from == 0 ? opcode : Frame.CONTINUATION, Arrays.copyOfRange(payload, from, to)));
        }
        return frames.toByteArray();
    }

    void send(int opcode, byte[] message, int fragment) throws IOException {
        peer.sendRaw(frames(opcode, message, fragment));
    }

    /** Reads one data message of {@code opcode}, checking the RSV rules of §6.1, and inflates it. */
    Received receive(int opcode) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        Frame first = peer.next(RawPeer.PROMPT);
        assertEquals(opcode, first.opcode(), () -> "expected opcode " + opcode + ", got " + first);
        assertTrue(first.rsv() == 0 || first.rsv() == RSV1, () -> "only RSV1 is agreed: " + first);
        payload.writeBytes(first.payload());
        int frames = 1;
        for (Frame f = first; !f.fin(); frames++) {
            Frame next = peer.next(RawPeer.PROMPT);
            assertEquals(Frame.CONTINUATION, next.opcode(), () -> "expected a continuation, got " + next);
            assertEquals(0, next.rsv(), () -> "RSV1 on a continuation frame (RFC 7692 §6.1): " + next);
            payload.writeBytes(next.payload());
            f = next;
        }
        byte[] wire = payload.toByteArray();
        if (first.rsv() == 0) {
            return new Received(wire, false, frames, wire.length, null);
        }
        byte[] stream = Arrays.copyOf(wire, wire.length + 4);
        System.arraycopy(TAIL, 0, stream, wire.length, 4);
        if (receiveNoContextTakeover) {
            inflater.end();
            inflater = new Inflater(true);
            history = new DeflateHistory();
        }
        byte[] inflated = inflate(stream);
        DeflateHistory.Message decoded = history.decode(stream);
        assertArrayEquals(inflated, decoded.output(), "zlib and the test's own decoder disagree");
        return new Received(inflated, true, frames, wire.length, decoded);
    }

    private byte[] inflate(byte[] stream) {
        inflater.setInput(stream);
        ByteArrayOutputStream out = new ByteArrayOutputStream(stream.length * 4);
        byte[] buf = new byte[64 << 10];
        try {
            for (int n = -1; n != 0; ) {
                // zlib may hold output after the last input byte is consumed: stop only when nothing more comes.
                n = inflater.inflate(buf);
                out.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new AssertionError("the testee's compressed message does not inflate: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        deflater.end();
        inflater.end();
    }
}
