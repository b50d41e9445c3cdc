package io.duplex.core.internal.extension.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The permessage-deflate round trip of RFC 7692 §7.2: the sender compresses a message and strips the
 * trailing 00 00 FF FF; the receiver appends it again and inflates with one raw Inflater for the whole
 * connection. Also runs the independent {@link DeflateChecker} over the same bytes.
 */
final class PerMessage {

    static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final WindowedDeflater deflater;
    private final boolean contextTakeover;
    private final Inflater inflater = new Inflater(true);
    private final DeflateChecker checker = new DeflateChecker();
    private final GrowableSink sink = new GrowableSink(false, 64);
    final int windowSize;
    long compressedBytes;

    PerMessage(int windowBits, int level, boolean contextTakeover) {
        this.deflater = new WindowedDeflater(windowBits, level);
        this.contextTakeover = contextTakeover;
        this.windowSize = 1 << windowBits;
    }

    /** Compresses, strips the tail, and returns the payload a frame would carry. */
    byte[] send(byte[] message) {
        if (!contextTakeover) {
            deflater.reset();
        }
        deflater.compress(ByteBuffer.wrap(message), sink);
        byte[] out = sink.take();
        byte[] tail = Arrays.copyOfRange(out, out.length - 4, out.length);
        assertArrayEquals(TAIL, tail, "every message ends with a sync flush");
        byte[] payload = GrowableSink.withoutTail(out);
        compressedBytes += payload.length;
        return payload;
    }

    /** Decodes a payload with both decoders, asserts both give {@code expected}, returns the checker's view. */
    DeflateChecker.Message receive(byte[] payload, byte[] expected) {
        byte[] stream = GrowableSink.concat(payload, TAIL);
        assertArrayEquals(expected, inflate(inflater, stream), "Inflater output");
        DeflateChecker.Message m = checker.decodeMessage(stream);
        assertArrayEquals(expected, m.output(), "checker output");
        return m;
    }

    /** Sends and receives one message, asserting the window bound and, without takeover, no history use. */
    DeflateChecker.Message roundTrip(byte[] message) {
        DeflateChecker.Message m = receive(send(message), message);
        assertTrue(m.maxDistance() <= windowSize,
                () -> "distance " + m.maxDistance() + " beyond window " + windowSize);
        if (!contextTakeover) {
            assertTrue(m.maxReachIntoHistory() <= 0,
                    "no_context_takeover message referenced an earlier message");
        }
        return m;
    }

    /** Every windowBits 8..15 crossed with the given levels, for parameterized tests. */
    static Stream<Arguments> everyWindowWithLevels(int... levels) {
        List<Arguments> all = new ArrayList<>();
        for (int bits = 8; bits <= 15; bits++) {
            for (int level : levels) {
                all.add(Arguments.of(bits, level));
            }
        }
        return all.stream();
    }

    DeflateChecker checker() {
        return checker;
    }

    static byte[] inflate(Inflater inflater, byte[] stream) {
        inflater.setInput(stream);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            while (true) {
                int n = inflater.inflate(chunk);
                out.write(chunk, 0, n);
                if (n == 0) {
                    if (inflater.needsDictionary()) {
                        throw new AssertionError("unexpected dictionary request");
                    }
                    break;
                }
            }
            if (inflater.getRemaining() != 0 || inflater.finished()) {
                throw new AssertionError("stream not consumed exactly, or BFINAL was set");
            }
        } catch (DataFormatException e) {
            throw new AssertionError("Inflater rejected the stream", e);
        }
        return out.toByteArray();
    }
}
